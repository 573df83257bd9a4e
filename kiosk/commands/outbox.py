"""`kiosk outbox`: what the terminal still owes Konnect, and what Konnect refused."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.commands._args import add_config_option, load_config


def add_parser(subparsers: Any) -> None:
    """Register the `outbox` command."""
    parser = subparsers.add_parser(
        "outbox",
        help="list events waiting for Konnect and those it refused",
        description=(
            "Lists the events the terminal still owes Konnect (pending) and the "
            "dead letters: events Konnect refused for good, with its reason. "
            "After the cause is mended (a door's profile, a client's rights), "
            "--retry-dead sends the dead letters again; the running terminal "
            "picks them up at its next attempt. The retry is recorded in the "
            "journal."
        ),
    )
    add_config_option(parser)
    parser.add_argument(
        "--retry-dead", action="store_true", help="send the dead letters again"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List the outbox; 0 always, unless the configuration is unusable."""
    from kiosk.journal import Journal

    settings = load_config(args, "outbox", state=True)
    if settings is None:
        return 2
    if not settings.journal_path.exists():
        sys.stdout.write(f"no journal at {settings.journal_path} yet\n")
        return 0
    journal = Journal(settings.journal_path)
    try:
        if args.retry_dead:
            revived = journal.revive_dead()
            journal.record("maintenance_retry_dead", payload={"events": revived})
            # On stderr, so that --json output stays one JSON object.
            sys.stderr.write(f"{revived} dead letter(s) will be sent again\n")
        report = {
            state: [
                {
                    "seq": event.seq,
                    "kind": event.kind,
                    "door": event.door,
                    "occurredAt": event.occurred_at,
                    "attempts": attempts,
                    "lastError": error,
                }
                for event, attempts, error in journal.outbox_items(state)
            ]
            for state in ("pending", "dead")
        }
        report["counts"] = journal.outbox_counts()  # type: ignore[assignment]
    finally:
        journal.close()
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return 0
    lines = []
    for state in ("pending", "dead"):
        lines.append(f"{state}: {len(report[state])}")
        lines += [
            f"  #{e['seq']} {e['kind']} door {e['door']} at {e['occurredAt']},"
            f" {e['attempts']} attempt(s)"
            + (f": {e['lastError']}" if e["lastError"] else "")
            for e in report[state]
        ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
