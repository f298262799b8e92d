"""Benchmarks: ``python -m bench [name ...]`` (or ``make bench``) prints one table per bench.

Each ``bench/bench_<name>.py`` exposes ``main(argv: list[str]) -> None``. Anchors (the
libraries or baselines a figure is compared with) run side by side in the same process run,
because this machine is shared and only same-run ratios mean anything.
"""
