"""
A second, deliberately simple reading of 835 files, for cross-checks.

It shares no code with denialkit.remit: separators come from the first
ISA by byte position (or are the usual ones), segments are split on the
terminator and stripped, and only the counts and sums the tests compare
are collected.
"""

from __future__ import annotations

import pathlib
from decimal import Decimal
from typing import NamedTuple

SAMPLES = (
    pathlib.Path(__file__).resolve().parents[2].parent
    / "shared"
    / "reference"
    / "x12"
    / "samples"
)


class Counts(NamedTuple):
    transactions: int
    claims: int
    lines: int
    claim_adjustments: int
    line_adjustments: int
    adjustment_total: Decimal
    provider_adjustments: int
    provider_total: Decimal


def segments(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff \r\n")
    if text.startswith("ISA"):
        element = text[3]
        # Count to the sixteenth element separator; the terminator
        # follows the component separator after it.
        at = -1
        for _ in range(16):
            at = text.index(element, at + 1)
        terminator = text[at + 2]
    else:
        element, terminator = text[2], "~"
    pieces = [piece.strip() for piece in text.split(terminator)]

    return [piece.split(element) for piece in pieces if piece]


def count(path: pathlib.Path) -> Counts:
    rows = segments(path.read_text("utf-8-sig"))
    transactions = claims = lines = 0
    at_claim = at_line = 0
    total = Decimal(0)
    plb_count, plb_total = 0, Decimal(0)
    in_line = False
    for row in rows:
        tag = row[0]
        if tag == "ST":
            transactions += 1
        elif tag == "CLP":
            claims += 1
            in_line = False
        elif tag == "SVC":
            lines += 1
            in_line = True
        elif tag in ("PLB", "SE", "LX"):
            in_line = False
        if tag == "CAS":
            for reason, amount in zip(row[2::3], row[3::3], strict=False):
                if reason:
                    total += Decimal(amount)
                    if in_line:
                        at_line += 1
                    else:
                        at_claim += 1
        if tag == "PLB":
            for amount in row[4::2]:
                plb_count += 1
                plb_total += Decimal(amount)

    return Counts(
        transactions,
        claims,
        lines,
        at_claim,
        at_line,
        total,
        plb_count,
        plb_total,
    )
