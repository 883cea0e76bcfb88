"""
The floor under the 835 reader: a skeleton that builds the same records
and checks nothing.

``skeleton(path)`` reads only files shaped like ``gen_835.py``'s output
(the usual separators, every value well formed) and makes what
``denialkit.remit.read`` makes of them: every ``Adjustment``,
``ServiceLine``, ``Claim`` and ``Patient`` through the reader's own fast
constructors, with ``Decimal`` amounts, dates, remark references and the
running sums that balancing needs.  It reports nothing, handles none of
the quirks of real files and keeps no positions beyond segment numbers,
so it is not a reader; it is the least a pure-Python reader of this
model pays, and ``remit_speed.py`` prints it beside the real one to show
how much of the time the model itself costs.

``adjustments_only(path)`` goes further: the reader's own tokenizer, then
one ``Adjustment`` per ``CAS`` triplet and nothing else (no claims, no
lines, no dates, no balancing, no checks), each with a shared record of
where it was.  It is the least any lister that hands out an
``Adjustment`` per triplet pays.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from denialkit import CodeRef
from denialkit.remit._model import ClaimStatus, Procedure, Remittance
from denialkit.remit._reader import (
    _TRIPLETS,
    _make_adjustment,
    _make_claim,
    _make_line,
    _make_patient,
)
from denialkit.remit._tokens import Tokenizer, byte_chunks

_ZERO = Decimal(0)


class _Line:
    __slots__ = ("adjustments", "fields", "remarks", "total")

    def __init__(self, fields: list[Any]) -> None:
        self.fields = fields
        self.adjustments: list[Any] = []
        self.remarks: list[CodeRef] = []
        self.total = _ZERO


class _Claim:
    __slots__ = ("adjustments", "elements", "lines", "patient", "segment")

    def __init__(self, elements: list[str], segment: int) -> None:
        self.elements = elements
        self.segment = segment
        self.adjustments: list[Any] = []
        self.lines: list[Any] = []
        self.patient: Any = None


def skeleton(path: str) -> Iterator[Remittance]:
    """
    The remittances of a well-formed synthetic 835, one per transaction,
    with the cyclic collector paused while each is built (as the reader
    does).
    """
    segments = _segments(path)
    while True:
        gc.disable()
        try:
            remittance = next(segments, None)
        finally:
            gc.enable()
        if remittance is None:
            return
        yield remittance


def _segments(path: str) -> Iterator[Remittance]:
    with open(path, encoding="utf-8") as stream:
        text = stream.read()
    money: dict[str, Decimal] = {}
    dates: dict[str, datetime.date] = {}
    refs: dict[tuple[str, str], CodeRef] = {}
    remarks: dict[str, CodeRef] = {}
    procedures: dict[str, Procedure] = {}
    claims: list[Any] = []
    claim: _Claim | None = None
    line: _Line | None = None
    claim_total = _ZERO
    for number, segment in enumerate(text.split("~"), 1):
        elements = segment.strip().split("*")
        tag = elements[0]
        if tag == "CAS":
            assert claim is not None
            group = elements[1]
            into = line.adjustments if line is not None else claim.adjustments
            for at in range(2, len(elements) - 1, 3):
                reason, text_amount = elements[at], elements[at + 1]
                ref = refs.get((group, reason))
                if ref is None:
                    ref = refs[group, reason] = CodeRef("carc", reason, group)
                amount = money.get(text_amount)
                if amount is None:
                    amount = money[text_amount] = Decimal(text_amount)
                claim_total += amount
                if line is not None:
                    line.total += amount
                into.append(
                    _make_adjustment(
                        group, ref, amount, None, number, at // 3 + 1
                    )
                )
        elif tag == "DTM":
            day = dates.get(elements[2])
            if day is None:
                value = elements[2]
                day = dates[value] = datetime.date(
                    int(value[:4]), int(value[4:6]), int(value[6:])
                )
            if line is not None:
                line.fields[2] = day
        elif tag == "SVC":
            assert claim is not None
            if line is not None:
                claim.lines.append(_freeze_line(line))
            procedure = procedures.get(elements[1])
            if procedure is None:
                parts = elements[1].split(":")
                procedure = procedures[elements[1]] = Procedure(
                    qualifier=parts[0],
                    code=parts[1],
                    modifiers=tuple(parts[2:6]),
                )
            line = _Line(
                [
                    len(claim.lines) + 1,
                    procedure,
                    None,  # service date
                    None,  # control number
                    None,  # allowed
                    money.get(elements[2]) or Decimal(elements[2]),
                    money.get(elements[3]) or Decimal(elements[3]),
                    number,
                ]
            )
        elif tag == "REF":
            if line is not None and elements[1] == "6R":
                line.fields[3] = elements[2]
        elif tag == "AMT":
            if line is not None and elements[1] == "B6":
                line.fields[4] = Decimal(elements[2])
        elif tag == "LQ":
            if line is not None:
                remark = remarks.get(elements[2])
                if remark is None:
                    remark = remarks[elements[2]] = CodeRef(
                        "rarc", elements[2]
                    )
                line.remarks.append(remark)
        elif tag == "NM1":
            if claim is not None and elements[1] == "QC":
                elements += [""] * (10 - len(elements))
                claim.patient = _make_patient(
                    elements[3] or None,
                    elements[4] or None,
                    elements[5] or None,
                    elements[8] or None,
                    elements[9] or None,
                )
        elif tag in ("CLP", "SE"):
            if claim is not None:
                if line is not None:
                    claim.lines.append(_freeze_line(line))
                    line = None
                claims.append(
                    _freeze_claim(claim, len(claims) + 1, claim_total)
                )
                claim = None
            claim_total = _ZERO
            if tag == "CLP":
                claim = _Claim(elements, number)
            else:
                yield _remittance(tuple(claims))
                claims = []


def _freeze_line(line: _Line) -> Any:
    number, procedure, day, control, allowed, charge, paid, segment = (
        line.fields
    )
    # The balancing test the reader makes on every line.
    _ = charge - line.total == paid

    return _make_line(
        number,
        procedure,
        charge,
        paid,
        None,
        None,
        None,
        None,
        day,
        day,
        control,
        allowed,
        tuple(line.adjustments),
        tuple(line.remarks),
        (),
        segment,
        (),
    )


def _freeze_claim(claim: _Claim, number: int, total: Decimal) -> Any:
    elements = claim.elements + [""] * (10 - len(claim.elements))
    charge, paid = Decimal(elements[3]), Decimal(elements[4])
    # The balancing test the reader makes on every claim.
    _ = charge - total == paid

    return _make_claim(
        number,
        elements[1],
        ClaimStatus.of(elements[2]),
        charge,
        paid,
        Decimal(elements[5]) if elements[5] else None,
        elements[6] or None,
        elements[7] or None,
        elements[8] or None,
        elements[9] or None,
        tuple(claim.adjustments),
        (),
        claim.patient,
        None,
        None,
        None,
        tuple(claim.lines),
        claim.segment,
        (),
    )


def _remittance(claims: tuple[Any, ...]) -> Remittance:
    return Remittance(
        source="<skeleton>",
        interchange=1,
        transaction=1,
        control_number=None,
        version=None,
        payer=None,
        payee=None,
        payment=None,
        trace=None,
        production_date=None,
        claims=claims,
        provider_adjustments=(),
        problems=(),
        unreadable=(),
    )


class _Where:
    __slots__ = ("claim", "line", "transaction")

    def __init__(self, transaction: int, claim: int, line: int | None):
        self.transaction = transaction
        self.claim = claim
        self.line = line


def adjustments_only(path: str) -> Iterator[tuple[_Where, Any]]:
    """
    ``(where, adjustment)`` for every ``CAS`` triplet of a well-formed
    835, read with the reader's tokenizer; nothing else is kept.
    """
    money: dict[str, Decimal] = {}
    refs: dict[tuple[str, str], CodeRef] = {}
    transaction = claim = 0
    line: int | None = None
    where = _Where(0, 0, None)
    number = 0
    with open(path, "rb") as stream:
        tokens = Tokenizer(byte_chunks(stream, []))
        for batch in tokens:
            separator = tokens.separators.element
            cas, clp, svc, st = (
                tag + separator for tag in ("CAS", "CLP", "SVC", "ST")
            )
            for text in batch:
                number += 1
                start = text[:4]
                if start == cas:
                    elements = text.split(separator)
                    group = elements[1]
                    elements += [""] * (-(len(elements) - 2) % 3)
                    for at, triplet in _TRIPLETS[len(elements)]:
                        reason, text_amount = elements[at], elements[at + 1]
                        ref = refs.get((group, reason))
                        if ref is None:
                            ref = refs[group, reason] = CodeRef(
                                "carc", reason, group
                            )
                        amount = money.get(text_amount)
                        if amount is None:
                            amount = money[text_amount] = Decimal(text_amount)
                        yield (
                            where,
                            _make_adjustment(
                                group, ref, amount, None, number, triplet
                            ),
                        )
                elif start == clp:
                    claim += 1
                    line = None
                    where = _Where(transaction, claim, line)
                elif start == svc:
                    line = (line or 0) + 1
                    where = _Where(transaction, claim, line)
                elif start[:3] == st:
                    transaction += 1
                    claim = 0
