"""
Balancing checks and reversal pairing.

The 835 balances at three levels (X12 835 TR3, section 1.10.2):

- a line: charge − Σ line adjustments = paid;
- a claim: charge − Σ adjustments of the claim and its lines = paid;
- the transaction: ``BPR02`` = Σ claim paid − Σ ``PLB`` amounts.

The reader sums the adjustments as it reads them, in file order, and
asks for each check when a line, a claim or a transaction ends.  A check
that cannot be made because an amount is missing or unreadable is
skipped; the missing amount has its own problem already, except an empty
line charge, which is reported here.

Amounts in messages show at least two decimal places, as money does
(``135`` reads ``135.00``); an amount sent with more places keeps them
all, because rounding could hide the very difference being reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Final

from ._model import Claim, Payment, Problem, Reversal

# Builds a problem at a segment: (code, message, segment number, segment id).
Report = Callable[[str, str, int, str], Problem]

_ZERO: Final = Decimal(0)


def line_problem(
    claim: int,
    line: int,
    charge: Decimal | None,
    paid: Decimal | None,
    adjusted: Decimal | None,
    readable: bool,
    segment: int,
    report: Report,
) -> Problem | None:
    """
    The balancing problem of a line, if any; *claim* and *line* are their
    numbers.

    *adjusted* is the sum of the line's adjustments, ``None`` when one
    is unreadable; *readable* says whether every value of the line could
    be read (an unreadable charge is reported as such already).
    """
    if charge is None or paid is None:
        if not readable:
            return None
        return report(
            "line-unbalanced",
            f"Line {line} of claim {claim} has no charge or no paid amount"
            " (SVC02/SVC03), so it cannot be balanced.",
            segment,
            "SVC",
        )
    if adjusted is None:
        return None
    expected = charge - adjusted
    if expected == paid:
        return None

    return report(
        "line-imbalance",
        f"Line {line} of claim {claim} does not balance: charge"
        f" {money(charge)} less adjustments {money(adjusted)} is"
        f" {money(expected)}, but the payer paid {money(paid)} (off by"
        f" {money(paid - expected)}).",
        segment,
        "SVC",
    )


def claim_problem(
    claim: int,
    charge: Decimal | None,
    paid: Decimal | None,
    adjusted: Decimal | None,
    segment: int,
    report: Report,
) -> Problem | None:
    """
    The balancing problem of a claim, if any; *claim* is its number.

    *adjusted* is the sum of the adjustments of the claim and its lines,
    claim level first, in file order (Decimal sums round past 28
    significant digits, so the order is part of the result); ``None``
    when one is unreadable.
    """
    if charge is None or paid is None or adjusted is None:
        return None
    expected = charge - adjusted
    if expected == paid:
        return None

    return report(
        "claim-imbalance",
        f"Claim {claim} does not balance: charge {money(charge)} less"
        f" adjustments {money(adjusted)} is {money(expected)}, but the"
        f" payer paid {money(paid)} (off by {money(paid - expected)}).",
        segment,
        "CLP",
    )


def payment_problem(
    payment: Payment | None,
    claims_paid: Sequence[Decimal | None],
    provider_amounts: Sequence[Decimal | None],
    segment: int,
    report: Report,
) -> Problem | None:
    """
    The balancing problem of a transaction's payment (``BPR02``), if
    any.
    """
    if payment is None or payment.amount is None:
        return None
    paid = _total(claims_paid)
    offsets = _total(provider_amounts)
    if paid is None or offsets is None:
        return None
    expected = paid - offsets
    if expected == payment.amount:
        return None

    return report(
        "payment-imbalance",
        f"The payment amount (BPR02) is {money(payment.amount)}, but the"
        f" claims paid {money(paid)} less provider adjustments of"
        f" {money(offsets)} make {money(expected)} (off by"
        f" {money(payment.amount - expected)}).",
        segment,
        "BPR",
    )


def money(amount: Decimal) -> str:
    """
    An amount as a message shows it: at least two decimal places, never
    rounded, never in exponent notation.

    >>> money(Decimal("-1.0")), money(Decimal("135")), money(Decimal("-1.27"))
    ('-1.00', '135.00', '-1.27')
    >>> money(Decimal("0.125")), money(Decimal("1E+2"))
    ('0.125', '100.00')
    """
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        # More places than cents: show them all rather than round.
        return f"{amount:f}"

    # Adding places is exact: formatting with two pads with zeros.
    return f"{amount:.2f}"


def _total(amounts: Sequence[Decimal | None]) -> Decimal | None:
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
