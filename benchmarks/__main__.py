"""`python -m benchmarks`: run every benchmark module's `main()` in name order."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    """Run each `benchmarks/*.py` module that has a `main()`; 1 if any failed."""
    failed = 0
    folder = Path(__file__).parent
    for module_info in sorted(
        pkgutil.iter_modules([str(folder)]), key=lambda m: m.name
    ):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{module_info.name}")
        entry = getattr(module, "main", None)
        if entry is None:
            continue
        sys.stdout.write(f"== {module_info.name}\n")
        sys.stdout.flush()
        result = entry()
        failed |= 1 if isinstance(result, int) and result != 0 else 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
