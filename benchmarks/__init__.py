"""Benchmarks: each module here has a `main()` that measures and reports."""
