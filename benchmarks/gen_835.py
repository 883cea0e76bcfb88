"""
Write a large synthetic X12 835 for speed and property tests.

    python benchmarks/gen_835.py OUT.835 [--claims 10000]
        [--claims-per-transaction 500] [--seed 835]

Every claim has three service lines with multi-triplet ``CAS`` segments;
some claims add a claim-level ``CAS``, remark codes, a reversal followed
by its correction, or an advanced imaging line denied CO-50 or CO-197.
The codes mix current CARCs with unknown (``ZZ9``), deactivated (``42``,
``A2``) and non-X12 (``R2``) values.  Every line, claim and transaction
balances, and every envelope count and control number is right, so a
reader should report no problem at all.  All names and numbers are
invented (``TESTPATIENT``, ``FAKE…``).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import IO

# (procedure code, charge in whole dollars)
PROCEDURES = [
    ("99213", 120),
    ("99214", 180),
    ("85025", 30),
    ("80053", 45),
    ("97110", 90),
    ("70553", 1400),
    ("72148", 1100),
    ("74177", 900),
    ("78815", 2600),
    ("93000", 60),
]
# Denial reasons for the CO group beside the write-off (45), with the odd
# values a reader must keep: unknown ZZ9, deactivated 42 and A2, and the
# specialty code R2 that is not a CARC.
DENIALS = ["50", "197", "16", "29", "96", "97", "ZZ9", "42", "A2", "R2"]
REMARKS = ["N130", "M15", "N386", "MA130", "N9999"]
FILING = ["CI", "MB", "16", "MC", "12", "BL"]
CENT = Decimal("0.01")


def _money(value: Decimal) -> str:
    text = f"{value.quantize(CENT)}"

    return text[:-3] if text.endswith(".00") else text


def _line(
    rng: random.Random, claim: int, number: int
) -> tuple[list[str], Decimal, Decimal, Decimal]:
    """
    One balanced service line: its segments, charge, paid amount and
    patient share.
    """
    code, dollars = rng.choice(PROCEDURES)
    charge = Decimal(dollars) + Decimal(rng.randrange(0, 100)) / 100
    deductible = (charge * Decimal(rng.randrange(0, 10)) / 100).quantize(CENT)
    coinsurance = (charge * Decimal(rng.randrange(0, 15)) / 100).quantize(CENT)
    write_off = (charge * Decimal(rng.randrange(5, 30)) / 100).quantize(CENT)
    segments = [
        f"SVC*HC:{code}*{_money(charge)}*{{paid}}**1",
        f"DTM*472*202401{1 + (claim + number) % 28:02d}",
        f"CAS*PR*1*{_money(deductible)}*1*2*{_money(coinsurance)}",
    ]
    denied = Decimal(0)
    if code in ("70553", "72148", "74177", "78815") and claim % 7 == 0:
        reason = "50" if claim % 2 else "197"
        denied = charge - deductible - coinsurance - write_off
        segments.append(
            f"CAS*CO*45*{_money(write_off)}**{reason}*{_money(denied)}"
        )
        segments.append("LQ*HE*N130")
    elif rng.random() < 0.35:
        denied = (charge * Decimal(rng.randrange(1, 20)) / 100).quantize(CENT)
        reason = rng.choice(DENIALS)
        segments.append(
            f"CAS*CO*45*{_money(write_off)}**{reason}*{_money(denied)}*1"
        )
        segments.append(f"LQ*HE*{rng.choice(REMARKS)}")
    else:
        segments.append(f"CAS*CO*45*{_money(write_off)}")
    paid = charge - deductible - coinsurance - write_off - denied
    segments[0] = segments[0].replace("{paid}", _money(paid))
    segments.append(f"REF*6R*FAKELINE{claim:06d}{number}")
    segments.append(f"AMT*B6*{_money(charge - write_off)}")

    return segments, charge, paid, deductible + coinsurance


def _claim(rng: random.Random, number: int) -> tuple[list[str], Decimal]:
    """
    One balanced claim with three lines: its segments and paid amount.
    """
    body: list[str] = []
    charge = paid = patient = Decimal(0)
    for line in range(1, 4):
        segments, line_charge, line_paid, share = _line(rng, number, line)
        body.extend(segments)
        charge += line_charge
        paid += line_paid
        patient += share
    head_cas: list[str] = []
    if number % 11 == 0:
        penalty = min(paid, Decimal("5.25"))
        head_cas.append(f"CAS*OA*23*{_money(penalty)}")
        paid -= penalty
    status = "1" if paid > 0 else "4"
    filing = FILING[number % len(FILING)]
    head = [
        f"CLP*FAKEACCT{number:06d}*{status}*{_money(charge)}*{_money(paid)}"
        f"*{_money(patient)}*{filing}*FAKEICN{number:08d}*11*1",
        *head_cas,
        f"NM1*QC*1*TESTPATIENT*N{number}****MI*FAKEMEMBER{number:06d}",
        "DTM*232*20240101",
        "DTM*233*20240131",
    ]
    if number % 13 == 0:
        head.append("MOA***MA01*N130")

    return head + body, paid


def _reversal(number: int) -> tuple[list[str], Decimal]:
    """
    A reversed claim (status 22) and its correction: segments and the net
    paid amount (zero).
    """
    account = f"FAKEACCT{number:06d}R"
    segments: list[str] = []
    for status, sign, icn in (("22", "-", "OLD"), ("1", "", "NEW")):
        segments += [
            f"CLP*{account}*{status}*{sign}200*{sign}150*{sign}20*CI"
            f"*FAKEICN{number:08d}{icn}*11*1",
            f"NM1*QC*1*TESTPATIENT*R{number}****MI*FAKEMEMBER{number:06d}",
            f"SVC*HC:99214*{sign}200*{sign}150**{sign}1",
            "DTM*472*20240110",
            f"CAS*PR*2*{sign}20*{sign}1*45*{sign}30",
        ]

    return segments, Decimal(0)


def transactions(
    claims: int, per_transaction: int, seed: int
) -> Iterator[list[str]]:
    """
    The segments of each balanced transaction, ST to SE.
    """
    rng = random.Random(seed)
    made = 0
    control = 0
    while made < claims:
        control += 1
        count = min(per_transaction, claims - made)
        body: list[str] = []
        paid = Decimal(0)
        for index in range(count):
            number = made + index + 1
            if number % 97 == 0:
                segments, amount = _reversal(number)
            else:
                segments, amount = _claim(rng, number)
            body.extend(["LX*1", *segments] if index == 0 else segments)
            paid += amount
        made += count
        plb = [Decimal("12.50"), Decimal("-3.75")]
        total = paid - sum(plb, Decimal(0))
        segments = [
            f"ST*835*{control:04d}",
            f"BPR*I*{_money(total)}*C*ACH*CCP*01*999999999*DA*123456"
            "*1999999999**01*999999999*DA*654321*20240215",
            f"TRN*1*FAKETRACE{control:06d}*1999999999",
            "DTM*405*20240214",
            "N1*PR*FAKE BENCHMARK HEALTH PLAN",
            "N3*1 NOWHERE ROAD",
            "N4*ANYTOWN*OH*43000",
            "N1*PE*FAKE BENCHMARK CLINIC*XX*1999999999",
            *body,
            f"PLB*1999999999*20241231*WO:FAKEOVP{control}*{_money(plb[0])}"
            f"*L6:INTEREST*{_money(plb[1])}",
        ]
        segments.append(f"SE*{len(segments) + 1}*{control:04d}")
        yield segments


def write(
    out: IO[str],
    *,
    claims: int = 10_000,
    per_transaction: int = 500,
    seed: int = 835,
) -> None:
    """
    Write the synthetic 835 (one interchange, one group) to *out*.
    """
    out.write(
        "ISA*00*          *00*          *ZZ*FAKEPAYER      *ZZ*FAKECLINIC"
        "     *240215*1200*^*00501*000000835*0*T*:~\n"
        "GS*HP*FAKEPAYER*FAKECLINIC*20240215*1200*835*X*005010X221A1~\n"
    )
    count = 0
    for segments in transactions(claims, per_transaction, seed):
        count += 1
        out.write("~\n".join(segments))
        out.write("~\n")
    out.write(f"GE*{count}*835~\nIEA*1*000000835~\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="the file to write")
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--claims-per-transaction", type=int, default=500)
    parser.add_argument("--seed", type=int, default=835)
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        write(
            out,
            claims=args.claims,
            per_transaction=args.claims_per_transaction,
            seed=args.seed,
        )

    return 0


if __name__ == "__main__":
    sys.exit(main())
