"""
Speed of dataset lookups, as ratios against named anchors in one run.

Usage::

    python benchmarks/lookup_speed.py [--rounds N]

Anchors and goals (from the dataset issue):

- cold start: a fresh process running ``import denialkit;
  denialkit.lookup("CO-50")`` against one running ``import pycountry;
  pycountry.countries.get(alpha_2="DE")``: goal <= 0.8.
- warm ``lookup("50")`` against a plain ``dict[key]``: goal <= 5.
- warm ``lookup("co-50 ")`` against the same dict read: goal <= 10.
- loading the whole newest release into typed records (a
  ``DenialCode`` for every code, hash checked) against ``json.loads`` of
  the same ``codes.json``: goal <= 2.  Editorial guidance is a second
  file read on first use; loading it for every code is printed too.

Also printed, without a goal: an uncached lookup (the parse and resolve
path a first query takes), and the floor under the cold start: a bare
interpreter, one that only imports attrs (the core model is attrs
classes, so every lookup pays this), one that also reads the newest
codes file and hashes all of it (the least a lookup answered only from a
verified release must do), and one that reads, hash-checks and parses
it with hashlib and json as denialkit does today, each against the same
pycountry anchor.

The cold processes may write bytecode caches (as an installed package
has them); the first runs of each are not counted.  Cold starts
alternate between the commands and take medians, because the machine's
load varies.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import timeit
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import cold_medians, fmt, report


def cold_start(rounds: int) -> dict[str, float]:
    """
    Median fresh-process times of our cold lookup, the anchor and the
    floor under ours.
    """
    import denialkit
    from denialkit import _release

    files = _release.release_info(denialkit.LATEST_RELEASE)["files"]
    codes = os.path.join(
        os.path.dirname(denialkit.__file__), "releases", files["codes"]["name"]
    )
    commands = {
        "ours": "import denialkit; denialkit.lookup('CO-50')",
        "anchor": "import pycountry; pycountry.countries.get(alpha_2='DE')",
        "interpreter": "pass",
        "attrs": "import attrs",
        # The least a verified lookup must do besides importing attrs:
        # read the codes file and hash all of it, with CPython's built-in
        # sha256 where there is one (hashlib loads OpenSSL, which costs
        # more to import than the hashing here).
        "attrs + hashed file": (
            "import attrs\n"
            "try:\n    from _sha256 import sha256\n"
            "except ImportError:\n    from hashlib import sha256\n"
            f"with open({codes!r}, 'rb') as f: raw = f.read()\n"
            "sha256(raw).hexdigest()"
        ),
        "attrs + release": (
            "import attrs, hashlib, json\n"
            f"with open({codes!r}, 'rb') as f: raw = f.read()\n"
            "hashlib.sha256(raw).hexdigest(); json.loads(raw)"
        ),
    }
    medians = cold_medians(list(commands.values()), rounds)

    return dict(zip(commands, medians, strict=True))


def _per_call(stmt: str, setup: str, number: int) -> float:
    timer = timeit.Timer(stmt, setup=setup)

    return min(timer.repeat(repeat=7, number=number)) / number


def warm_lookups() -> dict[str, float]:
    setup = (
        "from denialkit import lookup; lookup('50'); lookup('co-50 ');"
        " d = {'50': 1}; k = '50'"
    )
    n = 200_000

    return {
        "dict": _per_call("d[k]", setup, n),
        "lookup('50')": _per_call("lookup('50')", setup, n),
        "lookup('co-50 ')": _per_call("lookup('co-50 ')", setup, n),
        "uncached": _per_call(
            "ds.lookup('co-50 ')",
            "import denialkit; ds = denialkit.load(); ds.lookup('50')",
            20_000,
        ),
    }


def full_load() -> dict[str, float]:
    import denialkit
    from denialkit import _release

    release = denialkit.LATEST_RELEASE
    files = _release.release_info(release)["files"]
    codes = _release.read_resource(files["codes"]["name"])
    editorial = _release.read_resource(files["editorial"]["name"])

    def anchor_codes() -> None:
        json.loads(codes)

    def anchor_both() -> None:
        json.loads(codes)
        json.loads(editorial)

    def ours_codes() -> None:
        # Read, verify and parse the release, then a typed DenialCode for
        # every code; editorial guidance stays unread, as in a lookup.
        for _record in denialkit.Dataset._from_release(release):
            pass

    def ours_both() -> None:
        for record in denialkit.Dataset._from_release(release):
            _ = record.editorial

    def best(func: Callable[[], None]) -> float:
        return min(timeit.repeat(func, number=1, repeat=15))

    return {
        "codes": best(ours_codes),
        "codes anchor": best(anchor_codes),
        "both": best(ours_both),
        "both anchor": best(anchor_both),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()

    cold = cold_start(args.rounds)
    ours, anchor = cold["ours"], cold["anchor"]
    warm = warm_lookups()
    load = full_load()

    rows = [
        ("cold import + lookup('CO-50') / pycountry", ours, anchor, 0.8),
        (
            "warm lookup('50') / dict[key]",
            warm["lookup('50')"],
            warm["dict"],
            5,
        ),
        (
            "warm lookup('co-50 ') / dict[key]",
            warm["lookup('co-50 ')"],
            warm["dict"],
            10,
        ),
        (
            "load every code record / json.loads(codes)",
            load["codes"],
            load["codes anchor"],
            2,
        ),
    ]
    failed = report(rows)
    print(f"(uncached lookup, no goal: {fmt(warm['uncached'])} per call)")
    print(
        "(every record with its editorial guidance, no goal:"
        f" {fmt(load['both'])} against {fmt(load['both anchor'])} for"
        " json.loads of both files,"
        f" {load['both'] / load['both anchor']:.2f}x)"
    )

    print(
        "(floor under the cold start, no goal; fresh processes against"
        " pycountry:"
    )
    for name in (
        "interpreter",
        "attrs",
        "attrs + hashed file",
        "attrs + release",
    ):
        print(
            f"   {name:<19} {fmt(cold[name]):>11} {cold[name] / anchor:6.2f}x"
        )
    print(
        "   'attrs' only imports attrs; 'attrs + hashed file' also reads the"
        " newest codes file\n   and hashes all of it, the least a verified"
        " lookup must do; 'attrs + release'\n   reads, hash-checks and"
        " parses it as denialkit does today, with hashlib and json)"
    )

    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
