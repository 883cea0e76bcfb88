"""
What the benchmark scripts share: fresh-process timing and the table.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

# Installed packages carry compiled bytecode; let the measured processes
# write and use it too, whatever this shell says.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=_ENV)

    return time.perf_counter() - start


def cold_pair(ours: str, anchor: str, rounds: int) -> tuple[float, float]:
    """
    Median wall time of fresh processes running *ours* and *anchor*.
    """
    mine, theirs = cold_medians([ours, anchor], rounds)

    return mine, theirs


def cold_medians(commands: list[str], rounds: int) -> list[float]:
    """
    Median wall time of fresh processes running each of *commands*.

    Two unmeasured runs each write the bytecode caches; the measured runs
    alternate so that a busy moment of the machine hits every command.
    """
    for _ in range(2):
        for code in commands:
            _run(code)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(rounds):
        for code, measured in zip(commands, times, strict=True):
            measured.append(_run(code))

    return [statistics.median(measured) for measured in times]


def fmt(seconds: float) -> str:
    """
    A duration with a readable unit.
    """
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.2f} us"

    return f"{seconds * 1e9:.1f} ns"


def report(rows: list[tuple[str, float, float, float]]) -> bool:
    """
    Print ``(measure, ours, anchor, goal)`` rows as ratios; whether any
    ratio is over its goal.
    """
    width = max(len(row[0]) for row in rows)
    print(f"{'measure':{width}} {'ours':>11} {'anchor':>11} {'ratio':>6} goal")
    failed = False
    for name, value, base, goal in rows:
        ratio = value / base
        failed |= ratio > goal
        mark = "ok" if ratio <= goal else "MISSED"
        print(
            f"{name:{width}} {fmt(value):>11} {fmt(base):>11}"
            f" {ratio:6.2f} <= {goal} {mark}"
        )

    return failed
