"""
Speed and memory of the 835 reader, as ratios measured in one run.

    python benchmarks/remit_speed.py [--claims 10000] [--repeat 5]
        [--peer-repeat 3] [--no-peer]

Generates the synthetic file of ``gen_835.py`` into a temporary folder,
then lists every adjustment three ways:

- denialkit: ``denialkit.remit.read`` with every adjustment's ``Decimal``
  amount and its dataset lookup (``check_code``) attached;
- naive: read the whole file, split on ``~`` and ``*``, collect the
  ``CAS`` triplets as strings; the floor any real reader pays;
- edi-835-parser (PyPI, benchmark-only): parse, then walk claims,
  services and their adjustments (it keeps no claim-level ones).

Printed without a goal, to show where the time goes: the same listing
over ``remit_floor.skeleton``, which builds the same records and checks
nothing (the least a pure-Python reader of this model pays); over
``remit_floor.adjustments_only``, which makes an ``Adjustment`` per
triplet and nothing else; and the listing loop alone, over remittances
read beforehand.

Goals (issue 5): denialkit >= 0.40 x the naive loop's throughput,
>= 7 x edi-835-parser's, and peak memory (tracemalloc) <= 1.5 x the naive
loop's.  Times are the best of ``--repeat`` runs (``--peer-repeat`` for
edi-835-parser, which is slow), the readers taking turns, with
denialkit's caches cleared before each so no run reuses the last one's
lookups.  They include the cyclic
garbage collector's work on what each reader keeps; the naive loop's
tuples of strings drop out of its sight at its first pass.
"""

from __future__ import annotations

import argparse
import gc
import pathlib
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import denialkit
import gen_835
from denialkit.remit import _denials, _reader, check_code, read
from remit_floor import adjustments_only, skeleton


def naive(path: str) -> list[tuple[str, str, str]]:
    with open(path, encoding="utf-8") as stream:
        text = stream.read()
    found = []
    for segment in text.split("~"):
        elements = segment.strip().split("*")
        if elements[0] == "CAS":
            for at in range(2, len(elements) - 1, 3):
                found.append((elements[1], elements[at], elements[at + 1]))

    return found


def listing(remittances: Iterable[Any]) -> list[Any]:
    """
    Every adjustment of *remittances* with its lookup: the job measured.
    """
    found = []
    for remittance in remittances:
        for _, _, adjustment in remittance.adjustments():
            found.append((adjustment, check_code(adjustment.reason)))

    return found


def ours(path: str) -> list[Any]:
    return listing(read(path))


def floor(path: str) -> list[Any]:
    return listing(skeleton(path))


def bare(path: str) -> list[Any]:
    found = []
    for where, adjustment in adjustments_only(path):
        found.append((where, adjustment, check_code(adjustment.reason)))

    return found


def listing_only(remittances: list[Any]) -> float:
    """
    Seconds the listing takes over *remittances*, read beforehand.
    """
    _denials._caches.clear()
    _denials._default.clear()
    gc.collect()
    start = time.perf_counter()
    listing(remittances)

    return time.perf_counter() - start


def peer(path: str) -> list[Any]:
    from edi_835_parser import parse

    # It keeps no claim-level adjustments, so only lines are walked.
    found = []
    for transaction in parse(path):
        for claim in transaction.claims:
            for service in claim.services:
                found.extend(service.adjustments)

    return found


def _clear() -> None:
    _reader._money_cache.clear()
    _reader._date_cache.clear()
    _reader._refs.clear()
    _reader._remarks.clear()
    _denials._caches.clear()
    _denials._default.clear()


def best_times(
    runs: dict[str, Callable[[str], list[Any]]], path: str, repeat: int
) -> dict[str, float]:
    """
    The best of *repeat* timings of each run, taken in turns so that a
    slow moment of the machine hits every reader alike.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            _clear()
            gc.collect()
            start = time.perf_counter()
            run(path)
            best[name] = min(best[name], time.perf_counter() - start)

    return best


def peak_memory(run: Callable[[str], list[Any]], path: str) -> int:
    _clear()
    gc.collect()
    tracemalloc.start()
    try:
        run(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--claims-per-transaction", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peer-repeat", type=int, default=3)
    parser.add_argument(
        "--no-peer", action="store_true", help="skip edi-835-parser"
    )
    args = parser.parse_args(argv)
    # Imports and the dataset are loaded before any timing.  The peer is
    # imported only after the other readers are timed: it brings pandas,
    # whose tens of thousands of objects every full collection would
    # otherwise walk while they run.
    denialkit.load()

    with tempfile.TemporaryDirectory() as folder:
        path = str(pathlib.Path(folder) / "synthetic.835")
        with open(path, "w", encoding="utf-8", newline="") as out:
            gen_835.write(
                out,
                claims=args.claims,
                per_transaction=args.claims_per_transaction,
            )
        size = pathlib.Path(path).stat().st_size
        counts = (len(naive(path)), len(ours(path)))
        if len(floor(path)) != counts[1] or len(bare(path)) != counts[1]:
            raise SystemExit("remit_floor lost adjustments")
        times = best_times(
            {
                "naive": naive,
                "denialkit": ours,
                "skeleton": floor,
                "adjustments only": bare,
            },
            path,
            args.repeat,
        )
        remittances = list(read(path))
        listing = min(listing_only(remittances) for _ in range(args.repeat))
        del remittances
        if not args.no_peer:
            import edi_835_parser  # noqa: F401

            times |= best_times(
                {"edi-835-parser": peer}, path, args.peer_repeat
            )
        memory = {
            "naive": peak_memory(naive, path),
            "denialkit": peak_memory(ours, path),
        }

    print(
        f"synthetic 835: {args.claims} claims, {size / 1e6:.1f} MB,"
        f" {counts[1]} adjustments (naive loop found {counts[0]})"
    )
    print(f"{'reader':<16} {'seconds':>8} {'MB/s':>7} {'peak MB':>8}")
    for name, seconds in times.items():
        peak = memory.get(name)
        shown = f"{peak / 1e6:8.1f}" if peak is not None else f"{'-':>8}"
        print(f"{name:<16} {seconds:8.3f} {size / 1e6 / seconds:7.1f} {shown}")
    print()
    missed = False
    ratio = times["naive"] / times["denialkit"]
    missed |= ratio < 0.40
    print(f"throughput vs naive loop:     {ratio:5.2f} x  (goal >= 0.40)")
    if "edi-835-parser" in times:
        ratio = times["edi-835-parser"] / times["denialkit"]
        missed |= ratio < 7
        print(f"throughput vs edi-835-parser: {ratio:5.2f} x  (goal >= 7)")
    ratio = memory["denialkit"] / memory["naive"]
    missed |= ratio > 1.5
    print(f"peak memory vs naive loop:    {ratio:5.2f} x  (goal <= 1.5)")
    print()
    budget = times["naive"] / 0.40
    print(
        f"(no goal: where the time goes; the 0.40 goal allows {budget:.3f} s"
    )
    for name in ("skeleton", "adjustments only"):
        ratio = times["naive"] / times[name]
        print(f" {name:<17} {times[name]:.3f} s, {ratio:.2f} x the naive loop")
    print(
        f" listing alone     {listing:.3f} s, over remittances read"
        " beforehand)"
    )

    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
