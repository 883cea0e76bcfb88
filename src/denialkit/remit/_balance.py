"""
Balancing checks and reversal pairing, on records already read.

The 835 balances at three levels (X12 835 TR3, section 1.10.2):

- a line: charge − Σ line adjustments = paid;
- a claim: charge − Σ adjustments of the claim and its lines = paid;
- the transaction: ``BPR02`` = Σ claim paid − Σ ``PLB`` amounts.

A check that cannot be made because an amount is missing or unreadable
is skipped; the missing amount has its own problem already, except an
empty line charge, which is reported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from ._model import (
    Claim,
    Payment,
    Problem,
    ProviderAdjustment,
    Reversal,
    ServiceLine,
)

# Builds a problem at a segment: (code, message, segment number, segment id).
Report = Callable[[str, str, int, str], Problem]

_ZERO = Decimal(0)


def balance(
    claims: Sequence[Claim],
    payment: Payment | None,
    provider_adjustments: Sequence[ProviderAdjustment],
    *,
    payment_segment: int,
    report: Report,
) -> list[Problem]:
    """
    Every balancing problem of one transaction, in file order.
    """
    problems: list[Problem] = []
    for claim in claims:
        problems.extend(_claim(claim, report))
    if payment is not None and payment.amount is not None:
        paid = _total(claim.paid for claim in claims)
        offsets = _total(plb.amount for plb in provider_adjustments)
        if paid is not None and offsets is not None:
            expected = paid - offsets
            if expected != payment.amount:
                problems.append(
                    report(
                        "payment-imbalance",
                        f"The payment amount (BPR02) is {payment.amount},"
                        f" but the claims paid {paid} less provider"
                        f" adjustments of {offsets} make {expected}"
                        f" (off by {payment.amount - expected}).",
                        payment_segment,
                        "BPR",
                    )
                )

    return problems


def _claim(claim: Claim, report: Report) -> Iterable[Problem]:
    for line in claim.lines:
        yield from _line(claim, line, report)
    if claim.charge is None or claim.paid is None:
        return
    amounts = [adjustment.amount for _, adjustment in claim.all_adjustments()]
    adjusted = _total(amounts)
    if adjusted is None:
        return
    expected = claim.charge - adjusted
    if expected != claim.paid:
        yield report(
            "claim-imbalance",
            f"Claim {claim.number} does not balance: charge {claim.charge}"
            f" less adjustments {adjusted} is {expected}, but the payer"
            f" paid {claim.paid} (off by {claim.paid - expected}).",
            claim.segment,
            "CLP",
        )


def _line(
    claim: Claim, line: ServiceLine, report: Report
) -> Iterable[Problem]:
    where = f"Line {line.number} of claim {claim.number}"
    if line.charge is None or line.paid is None:
        if not line.unreadable:
            yield report(
                "line-unbalanced",
                f"{where} has no charge or no paid amount (SVC02/SVC03),"
                " so it cannot be balanced.",
                line.segment,
                "SVC",
            )
        return
    adjusted = _total(adjustment.amount for adjustment in line.adjustments)
    if adjusted is None:
        return
    expected = line.charge - adjusted
    if expected != line.paid:
        yield report(
            "line-imbalance",
            f"{where} does not balance: charge {line.charge} less"
            f" adjustments {adjusted} is {expected}, but the payer paid"
            f" {line.paid} (off by {line.paid - expected}).",
            line.segment,
            "SVC",
        )


def _total(amounts: Iterable[Decimal | None]) -> Decimal | None:
    total = _ZERO
    for amount in amounts:
        if amount is None:
            return None
        total += amount

    return total


def pair_reversals(claims: Sequence[Claim]) -> tuple[Reversal, ...]:
    """
    Pair each reversal (status 22) with a later correcting claim.

    The correction has the same patient control number, is not itself a
    reversal, and names the same patient identifier where both claims
    name one.  Among candidates, one whose charge is the reversed charge
    wins, then the nearest; each claim corrects at most one reversal.
    """
    taken: set[int] = set()
    pairs = []
    for index, claim in enumerate(claims):
        if not claim.status.is_reversal:
            continue
        candidates = [
            later
            for later in claims[index + 1 :]
            if later.number not in taken and _corrects(later, claim)
        ]
        exact = [
            later
            for later in candidates
            if claim.charge is not None
            and later.charge is not None
            and later.charge == -claim.charge
        ]
        pool = exact or candidates
        chosen = pool[0] if pool else None
        if chosen is not None:
            taken.add(chosen.number)
        pairs.append(Reversal(reversal=claim, correction=chosen))

    return tuple(pairs)


def _corrects(later: Claim, reversal: Claim) -> bool:
    if later.status.is_reversal:
        return False
    if later.patient_control_number != reversal.patient_control_number:
        return False
    first = reversal.patient.id if reversal.patient else None
    second = later.patient.id if later.patient else None

    return first is None or second is None or first == second
