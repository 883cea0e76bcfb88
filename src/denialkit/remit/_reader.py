"""
Read 835 sources into remittances, reporting every problem on the way.

The reader keeps one transaction in memory at a time: each ``ST``…``SE``
becomes a :class:`Remittance` as soon as its ``SE`` is read.  Nothing in
a file stops it: a bad value becomes a problem and ``None`` on the
record, an unexpected segment a problem, and reading goes on.
"""

from __future__ import annotations

import datetime
import gc
import io
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Final

from .._codes import GROUP_CODES, CodeRef
from ..exceptions import RemittanceError
from ._balance import claim_problem, line_problem, payment_problem
from ._model import (
    Adjustment,
    Claim,
    ClaimStatus,
    Party,
    Patient,
    Payment,
    Position,
    Problem,
    Procedure,
    ProviderAdjustment,
    Remittance,
    ServiceLine,
    Severity,
    Trace,
    _ClaimSlots,
    _ServiceLineSlots,
    builder,
)
from ._tokens import CHUNK, Tokenizer, byte_chunks, text_chunks

_log = logging.getLogger(__name__)

Source = (
    str
    | os.PathLike[str]
    | bytes
    | bytearray
    | memoryview
    | IO[bytes]
    | IO[str]
)

_NUMBER_CHARS: Final = "0123456789.-"
_CACHE_LIMIT: Final = 50_000
_money_cache: dict[str, Decimal] = {}
_date_cache: dict[str, datetime.date] = {}
# CodeRefs by group code, then CAS reason as sent: one shared object per
# pair, so a million adjustments hold a few hundred references.
_refs: dict[str, dict[str, CodeRef]] = {}
_remarks: dict[str, CodeRef] = {}
# Each group code as one shared string, so records do not each hold a
# copy of the text they were split from.
_GROUPS: Final = {group: group for group in GROUP_CODES}
# What pads a segment of n elements to whole CAS triplets, by n % 3.
_PADDING: Final[tuple[list[str], ...]] = (["", ""], [""], [])
# The triplets of a padded CAS of n elements: where each starts (CAS02,
# CAS05, ...) and its number.  Looping over these costs less than range()
# and enumerate() for the one or two triplets most segments have.
_TRIPLETS: Final = [
    tuple((at, at // 3 + 1) for at in range(2, size, 3)) for size in range(21)
]

# Segments an 835 may hold that carry nothing the model keeps.
_SKIPPED: Final = frozenset(
    ["CUR", "N2", "N3", "N4", "PER", "RDM", "LX", "TS3", "TS2", "QTY", "TA1"]
)
_make_adjustment: Final = builder(Adjustment)
_make_claim: Final = builder(Claim)
_make_line: Final = builder(ServiceLine)
_make_patient: Final = builder(Patient)
_DATE_FIELDS: Final = {
    "472": "service date",
    "150": "service start",
    "151": "service end",
    "232": "statement from",
    "233": "statement to",
    "050": "received date",
    "405": "production date",
}
_MIA_REMARKS: Final = (5, 20, 21, 22, 23)
_MOA_REMARKS: Final = (3, 4, 5, 6, 7)
_ZERO: Final = Decimal(0)


def read(
    source: Source, *, strict: bool = False, name: str | None = None
) -> RemittanceReader:
    """
    Read an 835 from a path, bytes, text or an open file.

    Returns a :class:`RemittanceReader`: iterate it for one
    :class:`Remittance` per transaction, in file order, then look at its
    ``problems`` for everything found, the envelope's included.

    Args:
        source: A path (``str`` or ``os.PathLike``); the content as
            ``bytes``; the content as ``str`` when it starts with an
            ``ISA`` or ``ST`` segment (otherwise a ``str`` is a path); or
            a file opened in binary or text mode, which is not closed.
        strict: Raise :class:`~denialkit.exceptions.RemittanceError` once
            the source is read if any problem was found.  Remittances
            are still yielded as they are read; wrap the call in
            ``list()`` to get all of them or the error.
        name: How problems and remittances name the source; by default
            the path, the file's name, or ``"<bytes>"``/``"<text>"``.

    >>> text = (
    ...     "ST*835*0001~BPR*I*80*C*CHK************20240110~"
    ...     "TRN*1*FAKECHECK*1999999999~N1*PR*FAKE PLAN~N1*PE*FAKE CLINIC~"
    ...     "CLP*FAKEACCT*1*100*80*20*12*FAKEICN~"
    ...     "SVC*HC:99213*100*80**1~CAS*PR*2*20~SE*9*0001~"
    ... )
    >>> reader = read(text)
    >>> [remittance] = reader
    >>> [(a.group, a.reason.code, a.amount) for _, _, a in
    ...  remittance.adjustments()]
    [('PR', '2', Decimal('20'))]
    >>> [problem.code for problem in reader.problems]
    ['no-envelope']

    Added in 0.1.0.
    """
    return RemittanceReader(source, strict=strict, name=name)


class RemittanceReader:
    """
    The remittances of one source, read lazily, and the problems found.

    Iterate it once.  ``problems`` fills as reading goes on and is
    complete when iteration ends.  While it reads a transaction, it
    pauses Python's cyclic garbage collector, which would otherwise walk
    every live object again and again as the records pile up; code of
    yours that runs between remittances always finds the collector as
    you left it, but other threads see it paused meanwhile.

    Added in 0.1.0.
    """

    def __init__(
        self, source: Source, *, strict: bool = False, name: str | None = None
    ) -> None:
        self.source = source
        self.strict = strict
        self.name = name or _name_of(source)
        self.problems: list[Problem] = []
        self._started = False

    def __repr__(self) -> str:
        return (
            f"<RemittanceReader {self.name!r} problems={len(self.problems)}>"
        )

    def __iter__(self) -> Iterator[Remittance]:
        if self._started:
            raise RuntimeError(
                "A RemittanceReader is read once; call denialkit.remit.read()"
                " again to read the source anew."
            )
        self._started = True
        with _Opened(self.source) as (chunks, decoding):
            parser = _Parser(self.name, Tokenizer(chunks), decoding)
            for remittance in _without_gc(parser.run()):
                self.problems.extend(parser.take_problems())
                yield remittance
            self.problems.extend(parser.take_problems())
        _log.debug(
            "Read %s: %d transactions, %d problems.",
            self.name,
            parser.transactions,
            len(self.problems),
        )
        if self.strict and self.problems:
            raise RemittanceError(self.name, self.problems)


def _without_gc(remittances: Iterator[Remittance]) -> Iterator[Remittance]:
    """
    Advance *remittances* with the cyclic garbage collector paused.

    Reading one transaction makes tens of thousands of records, and every
    700 new objects start a collection that walks the young ones and, now
    and then, every object alive, the caller's included: a third of the
    reading time in benchmarks/remit_speed.py.  None of the records can
    be part of a reference cycle, so reference counting frees them
    anyway.  The collector runs again before each remittance is handed
    over, so the caller's code never runs with it paused; other threads
    do, while a transaction is read.
    """
    while True:
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            remittance = next(remittances, None)
        finally:
            if paused:
                gc.enable()
        if remittance is None:
            return
        yield remittance


def _name_of(source: Source) -> str:
    if isinstance(source, bytes | bytearray | memoryview):
        return "<bytes>"
    if isinstance(source, str) and _is_text(source):
        return "<text>"
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)

    return name if isinstance(name, str) else "<file>"


def _is_text(source: str) -> bool:
    start = source[:64].lstrip(" \t\r\n\ufeff")
    for tag in ("ISA", "ST"):
        if start.startswith(tag):
            after = start[len(tag) : len(tag) + 1]
            return bool(after) and not (after.isalnum() or after in "/\\._- ")

    return False


class _Opened:
    """
    Turn any source into text chunks, closing what it opened.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self.decoding: list[str] = []
        self.file: IO[bytes] | None = None

    def __enter__(self) -> tuple[Iterable[str], list[str]]:
        source = self.source
        if isinstance(source, str) and _is_text(source):
            return text_chunks(source), self.decoding
        if isinstance(source, bytes | bytearray | memoryview):
            view = memoryview(source)
            blocks = (
                bytes(view[at : at + CHUNK])
                for at in range(0, len(view), CHUNK)
            )
            return byte_chunks(blocks, self.decoding), self.decoding
        if isinstance(source, str | os.PathLike):
            self.file = open(source, "rb")
            return byte_chunks(self.file, self.decoding), self.decoding
        if isinstance(source, io.TextIOBase):
            return _text_blocks(source), self.decoding
        # A file object of unknown kind: reading nothing tells text from
        # bytes.
        stream: Any = source
        if isinstance(stream.read(0), str):
            return _text_blocks(stream), self.decoding

        return byte_chunks(stream, self.decoding), self.decoding

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()


def _text_blocks(stream: IO[str]) -> Iterator[str]:
    while True:
        block = stream.read(CHUNK)
        if not block:
            return
        yield block


def _fields(slots_base: type) -> tuple[str, ...]:
    slots: tuple[str, ...] = slots_base.__dict__["__slots__"]

    return tuple(name for name in slots if name[:2] != "__")


class _Draft:
    """
    The parts of the open transaction, claim and line, still mutable.
    """

    __slots__ = (
        "balancing",
        "bpr_segment",
        "claim",
        "claims",
        "control",
        "first",
        "line",
        "number",
        "payee",
        "payer",
        "payment",
        "plbs",
        "problems",
        "production",
        "skip",
        "trace",
        "unreadable",
    )

    def __init__(self, number: int, control: str | None, first: int) -> None:
        self.number = number
        self.control = control
        self.first = first
        self.skip = False
        self.payer: Party | None = None
        self.payee: Party | None = None
        self.payment: Payment | None = None
        self.bpr_segment = 0
        self.trace: Trace | None = None
        self.production: datetime.date | None = None
        self.claims: list[Claim] = []
        self.plbs: list[ProviderAdjustment] = []
        self.problems: list[Problem] = []
        # Balancing problems wait for the end of the transaction, where
        # they follow every other problem of it.
        self.balancing: list[Problem] = []
        self.unreadable: list[tuple[str, str]] = []
        self.claim: _ClaimDraft | None = None
        self.line: _LineDraft | None = None


class _ClaimDraft:
    """
    A claim being read; frozen into a :class:`Claim` at its end.
    """

    # The record's fields, writable, and the running total of its
    # adjustments for balancing.
    __slots__ = (*_fields(_ClaimSlots), "total")

    def __init__(self, number: int, segment: int, elements: list[str]) -> None:
        # *elements* is padded to at least ten.
        self.number = number
        self.segment = segment
        self.patient_control_number = elements[1]
        self.status = ClaimStatus.of(elements[2])
        self.filing_indicator = elements[6] or None
        self.payer_claim_control_number = elements[7] or None
        self.facility_type = elements[8] or None
        self.frequency = elements[9] or None
        self.charge: Decimal | None = None
        self.paid: Decimal | None = None
        self.patient_responsibility: Decimal | None = None
        self.patient: Patient | None = None
        self.statement_from: datetime.date | None = None
        self.statement_to: datetime.date | None = None
        self.received: datetime.date | None = None
        self.adjustments: list[Adjustment] = []
        self.remarks: list[CodeRef] = []
        self.lines: list[ServiceLine] = []
        self.unreadable: list[tuple[str, str]] = []
        # The sum of the adjustments of the claim and its lines so far, in
        # file order; None once one is unreadable.
        self.total: Decimal | None = _ZERO

    def freeze(self) -> Claim:
        return _make_claim(
            self.number,
            self.patient_control_number,
            self.status,
            self.charge,
            self.paid,
            self.patient_responsibility,
            self.filing_indicator,
            self.payer_claim_control_number,
            self.facility_type,
            self.frequency,
            tuple(self.adjustments),
            tuple(self.remarks),
            self.patient,
            self.statement_from,
            self.statement_to,
            self.received,
            tuple(self.lines),
            self.segment,
            tuple(self.unreadable),
        )


class _LineDraft:
    """
    A service line being read; frozen into a :class:`ServiceLine`.
    """

    # The record's fields, writable, and the running total of its
    # adjustments for balancing.
    __slots__ = (*_fields(_ServiceLineSlots), "total")

    def __init__(
        self, number: int, segment: int, revenue_code: str | None
    ) -> None:
        self.number = number
        self.segment = segment
        self.revenue_code = revenue_code
        self.procedure: Procedure | None = None
        self.submitted_procedure: Procedure | None = None
        self.charge: Decimal | None = None
        self.paid: Decimal | None = None
        self.units: Decimal | None = None
        self.submitted_units: Decimal | None = None
        self.allowed: Decimal | None = None
        self.service_from: datetime.date | None = None
        self.service_to: datetime.date | None = None
        self.control_number: str | None = None
        self.adjustments: list[Adjustment] = []
        self.remarks: list[CodeRef] = []
        self.other_remarks: list[tuple[str, str]] = []
        self.unreadable: list[tuple[str, str]] = []
        self.total: Decimal | None = _ZERO

    def freeze(self) -> ServiceLine:
        return _make_line(
            self.number,
            self.procedure,
            self.charge,
            self.paid,
            self.revenue_code,
            self.units,
            self.submitted_procedure,
            self.submitted_units,
            self.service_from,
            self.service_to,
            self.control_number,
            self.allowed,
            tuple(self.adjustments),
            tuple(self.remarks),
            tuple(self.other_remarks),
            self.segment,
            tuple(self.unreadable),
        )


class _Parser:
    """
    Turn segments into remittances; one instance per source.
    """

    def __init__(
        self, name: str, tokens: Tokenizer, decoding: list[str]
    ) -> None:
        self.name = name
        self.tokens = tokens
        self.decoding = decoding
        self.problems: list[Problem] = []
        self.interchange: int | None = None
        self.transactions = 0
        self.count = 0
        self.isa_control: str | None = None
        self.groups = 0
        self.gs_control: str | None = None
        self.group_transactions = 0
        self.in_group = False
        self.version: str | None = None
        self.component: str | None = None
        self.component_noted = False
        self.procedures: dict[str, Procedure] = {}
        self.draft: _Draft | None = None
        self.handlers: dict[str, Callable[[list[str]], None]] = {
            "CAS": self.cas,
            "DTM": self.dtm,
            "SVC": self.svc,
            "REF": self.ref,
            "AMT": self.amt,
            "CLP": self.clp,
            "NM1": self.nm1,
            "LQ": self.lq,
            "MOA": self.moa,
            "MIA": self.mia,
            "N1": self.n1,
            "BPR": self.bpr,
            "TRN": self.trn,
            "PLB": self.plb,
        }

    # -- running ---------------------------------------------------------

    def run(self) -> Iterator[Remittance]:
        handlers = self.handlers
        skipped = _SKIPPED
        tokens = self.tokens
        for batch in tokens:
            if tokens.notes:
                self._take_notes()
            separator = tokens.separators.element
            for text in batch:
                self.count += 1
                elements = text.split(separator)
                tag = elements[0]
                draft = self.draft
                if draft is not None and not draft.skip:
                    handler = handlers.get(tag)
                    if handler is not None:
                        handler(elements)
                        continue
                    if tag in skipped:
                        continue
                finished = self.structure(tag, elements)
                if finished is not None:
                    yield finished
        if tokens.notes:
            self._take_notes()
        if self.draft is not None:
            self.problem(
                "missing-se",
                "error",
                "The file ends inside a transaction (no SE); what was read"
                " of it is kept. Check that the file is complete.",
                "ST",
            )
            yield self.finish()
        elif self.interchange is not None and self.isa_control is not None:
            self.problem(
                "missing-iea",
                "warning",
                "The file ends without an IEA closing the interchange.",
                "IEA",
            )
        if self.decoding:
            self.problem(
                "not-utf8",
                "warning",
                "Some bytes are not UTF-8 and were replaced by U+FFFD;"
                " names and free text near them may read wrong.",
                "",
            )

    def take_problems(self) -> list[Problem]:
        if self.tokens.notes:
            self._take_notes()
        taken, self.problems = self.problems, []

        return taken

    def _take_notes(self) -> None:
        for note in self.tokens.notes:
            position = Position(
                interchange=self.interchange,
                transaction=self.draft.number if self.draft else None,
                segment=note.segment,
                segment_id=note.segment_id,
                element=note.element,
            )
            self._add(
                Problem(
                    code=note.code,
                    severity="error"
                    if note.severity == "error"
                    else "warning",
                    message=note.message,
                    position=position,
                    raw=note.raw,
                )
            )
        self.tokens.notes.clear()

    def _add(self, problem: Problem) -> None:
        self.problems.append(problem)
        if self.draft is not None:
            self.draft.problems.append(problem)

    def problem(
        self,
        code: str,
        severity: Severity,
        message: str,
        segment_id: str,
        element: int | None = None,
        raw: str | None = None,
        segment: int | None = None,
    ) -> None:
        """
        Report a problem at the current segment (or at *segment*).
        """
        self._add(
            Problem(
                code=code,
                severity=severity,
                message=message,
                position=self.position(segment_id, element, segment),
                raw=raw,
            )
        )

    def position(
        self, segment_id: str, element: int | None, segment: int | None
    ) -> Position:
        return Position(
            interchange=self.interchange,
            transaction=self.draft.number if self.draft else None,
            segment=self.count if segment is None else segment,
            segment_id=segment_id,
            element=element,
        )

    # -- values ----------------------------------------------------------

    def money(
        self, elements: list[str], index: int, field: str
    ) -> Decimal | None:
        """
        The amount in element *index*, ``None`` when empty or unreadable
        (then reported).
        """
        text = elements[index] if index < len(elements) else ""
        amount = _decimal(text)
        if amount is None and text:
            self.unreadable(elements[0], index, field, text, "a number")

        return amount

    def date(
        self, elements: list[str], index: int, field: str
    ) -> datetime.date | None:
        """
        The CCYYMMDD date in element *index*, ``None`` when empty or not a
        real date.
        """
        if index >= len(elements):
            return None
        text = elements[index]
        day = _date_cache.get(text)
        if day is not None:
            return day
        if not text:
            return None
        try:
            if len(text) != 8 or not text.isdigit():
                raise ValueError(text)
            day = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            self.unreadable(elements[0], index, field, text, "a CCYYMMDD date")
            return None
        if len(_date_cache) >= _CACHE_LIMIT:
            _date_cache.clear()
        _date_cache[text] = day

        return day

    def unreadable(
        self, tag: str, index: int, field: str, text: str, expected: str
    ) -> None:
        draft = self.draft
        if draft is not None:
            target = draft.line or draft.claim or draft
            target.unreadable.append((field, text))
        self.problem(
            "bad-value",
            "error",
            f"{tag}{index:02d} ({field}) is not {expected}; the value is"
            " kept as text and left out of the amounts and dates.",
            tag,
            index,
            raw=text,
        )

    def composite(self, text: str, tag: str, index: int) -> list[str]:
        """
        Split a composite element, noticing a separator that differs from
        the one declared.
        """
        separator = self.component or self.tokens.separators.component
        if separator in text or len(text) < 3:
            return text.split(separator)
        other = text[2]
        if other.isalnum() or other in " .-" or not text[:2].isalnum():
            return [text]
        self.component = other
        if not self.component_noted:
            self.component_noted = True
            declared = self.tokens.separators
            source = (
                "the ISA declares"
                if declared.enveloped
                else ("the usual one is")
            )
            self.problem(
                "component-separator",
                "warning",
                f"{tag}{index:02d} uses {other!r} as the component"
                f" separator, but {source} {declared.component!r}; the"
                f" composite was split on {other!r}, and so are later"
                " ones of this interchange.",
                tag,
                index,
            )

        return text.split(other)

    # -- envelope and structure -------------------------------------------

    def structure(self, tag: str, elements: list[str]) -> Remittance | None:
        """
        Handle a segment the transaction handlers did not take.
        """
        if tag == "ST":
            return self.st(elements)
        if tag == "SE":
            return self.se(elements)
        if tag == "ISA":
            return self.isa(elements)
        finished = None
        if tag in ("GS", "GE", "IEA") and self.draft is not None:
            self.problem(
                "missing-se",
                "error",
                f"{tag} arrives inside a transaction (no SE before it);"
                " the transaction was closed there.",
                tag,
            )
            finished = self.finish()
        if tag == "GS":
            self.gs(elements)
        elif tag == "GE":
            self.ge(elements)
        elif tag == "IEA":
            self.iea(elements)
        elif self.draft is not None and self.draft.skip:
            pass
        elif self.draft is not None:
            self.problem(
                "unexpected-segment",
                "warning",
                f"Segment {tag[:3]!r} is not part of an 835 and was ignored.",
                tag[:3],
            )
        else:
            self.problem(
                "outside-transaction",
                "warning",
                f"Segment {tag[:3]!r} is outside any ST/SE transaction and"
                " was ignored.",
                tag[:3],
            )

        return finished

    def isa(self, elements: list[str]) -> Remittance | None:
        finished = None
        if self.draft is not None:
            self.problem(
                "missing-se",
                "error",
                "A new interchange starts inside a transaction (no SE);"
                " the transaction was closed there.",
                "ISA",
            )
            finished = self.finish()
        if self.isa_control is not None:
            self.problem(
                "missing-iea",
                "warning",
                "A new interchange starts before the previous one's IEA.",
                "ISA",
            )
        self.interchange = (self.interchange or 0) + 1
        self.isa_control = _at(elements, 13)
        self.groups = 0
        self.component = None
        self.component_noted = False
        self.procedures = {}
        self.version = self.tokens.separators.version

        return finished

    def iea(self, elements: list[str]) -> None:
        if self.interchange is None:
            self.problem(
                "outside-transaction",
                "warning",
                "IEA without an ISA before it was ignored.",
                "IEA",
            )
            return
        self._check_count(elements, 1, self.groups, "IEA", "functional groups")
        self._check_control(elements, 2, self.isa_control, "IEA", "ISA13")
        self.isa_control = None

    def gs(self, elements: list[str]) -> None:
        self.groups += 1
        self.gs_control = _at(elements, 6)
        self.group_transactions = 0
        self.in_group = True
        self.version = _at(elements, 8) or self.tokens.separators.version

    def ge(self, elements: list[str]) -> None:
        if not self.in_group:
            self.problem(
                "outside-transaction",
                "warning",
                "GE without a GS before it was ignored.",
                "GE",
            )
            return
        self._check_count(
            elements, 1, self.group_transactions, "GE", "transactions"
        )
        self._check_control(elements, 2, self.gs_control, "GE", "GS06")
        self.in_group = False

    def st(self, elements: list[str]) -> Remittance | None:
        finished = None
        if self.draft is not None:
            self.problem(
                "missing-se",
                "error",
                "A new ST starts before the previous transaction's SE; the"
                " previous transaction was closed there.",
                "ST",
            )
            finished = self.finish()
        self.transactions += 1
        self.group_transactions += 1
        if self.interchange is None and self.transactions > 1:
            self.version = None
        self.draft = _Draft(self.transactions, _at(elements, 2), self.count)
        kind = _at(elements, 1)
        if kind != "835":
            self.draft.skip = True
            self.problem(
                "not-835",
                "error",
                f"Transaction set {kind!r} is not an 835 (ST01); it was"
                " skipped.",
                "ST",
                1,
            )

        return finished

    def se(self, elements: list[str]) -> Remittance | None:
        draft = self.draft
        if draft is None:
            self.problem(
                "outside-transaction",
                "warning",
                "SE without an ST before it was ignored.",
                "SE",
            )
            return None
        count = self.count - draft.first + 1
        self._check_count(elements, 1, count, "SE", "segments")
        self._check_control(elements, 2, draft.control, "SE", "ST02")
        if draft.skip:
            self.draft = None
            return None

        return self.finish()

    def _check_count(
        self, elements: list[str], index: int, actual: int, tag: str, what: str
    ) -> None:
        stated = _at(elements, index)
        if stated != str(actual):
            self.problem(
                "count-mismatch",
                "warning",
                f"{tag}{index:02d} counts {stated or 'nothing'} {what}, but"
                f" there are {actual}.",
                tag,
                index,
            )

    def _check_control(
        self,
        elements: list[str],
        index: int,
        opened: str | None,
        tag: str,
        opener: str,
    ) -> None:
        closing = _at(elements, index)
        if closing != opened:
            self.problem(
                "control-mismatch",
                "warning",
                f"Control number {tag}{index:02d} {closing!r} does not match"
                f" {opener} {opened!r}.",
                tag,
                index,
            )

    def finish(self) -> Remittance:
        """
        Close the open transaction: balance it and freeze it.
        """
        draft = self.draft
        assert draft is not None
        self.close_claim()
        claims = tuple(draft.claims)
        plbs = tuple(draft.plbs)
        problem = payment_problem(
            draft.payment,
            [claim.paid for claim in claims],
            [plb.amount for plb in plbs],
            draft.bpr_segment,
            self._balance_problem,
        )
        if problem is not None:
            draft.balancing.append(problem)
        for problem in draft.balancing:
            self._add(problem)
        self.draft = None

        return Remittance(
            source=self.name,
            interchange=self.interchange,
            transaction=draft.number,
            control_number=draft.control,
            version=self.version,
            payer=draft.payer,
            payee=draft.payee,
            payment=draft.payment,
            trace=draft.trace,
            production_date=draft.production,
            claims=claims,
            provider_adjustments=plbs,
            problems=tuple(draft.problems),
            unreadable=tuple(draft.unreadable),
        )

    def _balance_problem(
        self, code: str, message: str, segment: int, segment_id: str
    ) -> Problem:
        return Problem(
            code=code,
            severity="error",
            message=message,
            position=self.position(segment_id, None, segment),
        )

    # -- header segments ---------------------------------------------------

    def bpr(self, elements: list[str]) -> None:
        draft = self.draft
        assert draft is not None
        draft.bpr_segment = self.count
        draft.payment = Payment(
            handling=_at(elements, 1),
            amount=self.money(elements, 2, "payment amount"),
            credit_debit=_at(elements, 3),
            method=_at(elements, 4),
            date=self.date(elements, 16, "payment date"),
        )
        if len(elements) <= 16 or not elements[16]:
            self.problem(
                "missing-value",
                "warning",
                "BPR16 (payment date) is empty; appeal deadlines count from"
                " the production date (DTM*405) instead.",
                "BPR",
                16,
            )

    def trn(self, elements: list[str]) -> None:
        draft = self.draft
        assert draft is not None
        if draft.trace is None:
            draft.trace = Trace(
                type=_at(elements, 1),
                number=_at(elements, 2),
                originator=_at(elements, 3),
            )

    def n1(self, elements: list[str]) -> None:
        draft = self.draft
        assert draft is not None
        entity = _at(elements, 1)
        if entity not in ("PR", "PE"):
            return
        party = Party(
            entity=entity,
            name=_at(elements, 2),
            id_qualifier=_at(elements, 3),
            id=_at(elements, 4),
        )
        if entity == "PR":
            draft.payer = draft.payer or party
        else:
            draft.payee = draft.payee or party

    # -- claims ------------------------------------------------------------

    def clp(self, elements: list[str]) -> None:
        draft = self.draft
        assert draft is not None
        self.close_claim()
        status = _at(elements, 2) or ""
        if not status:
            self.problem(
                "missing-value",
                "error",
                "CLP02 (claim status) is empty.",
                "CLP",
                2,
            )
        elif status not in _KNOWN_STATUS:
            self.problem(
                "unknown-status",
                "warning",
                f"Claim status {status!r} (CLP02) is not one the 835"
                " defines; it is kept as sent.",
                "CLP",
                2,
            )
        if len(elements) < 10:
            elements = elements + [""] * (10 - len(elements))
        claim = _ClaimDraft(len(draft.claims) + 1, self.count, elements)
        draft.claim = claim
        amounts = _money_cache
        claim.charge = amounts.get(elements[3]) or self.money(
            elements, 3, "claim charge"
        )
        claim.paid = amounts.get(elements[4]) or self.money(
            elements, 4, "claim payment"
        )
        claim.patient_responsibility = amounts.get(elements[5]) or self.money(
            elements, 5, "patient responsibility"
        )

    def close_claim(self) -> None:
        draft = self.draft
        assert draft is not None
        claim = draft.claim
        if claim is None:
            return
        if draft.line is not None:
            self.close_line()
        draft.claims.append(claim.freeze())
        draft.claim = None
        problem = claim_problem(
            claim.number,
            claim.charge,
            claim.paid,
            claim.total,
            claim.segment,
            self._balance_problem,
        )
        if problem is not None:
            draft.balancing.append(problem)

    def nm1(self, elements: list[str]) -> None:
        assert self.draft is not None
        claim = self.draft.claim
        if claim is None or _at(elements, 1) != "QC":
            return
        if len(elements) < 10:
            elements += [""] * (10 - len(elements))
        claim.patient = _make_patient(
            elements[3] or None,
            elements[4] or None,
            elements[5] or None,
            elements[8] or None,
            elements[9] or None,
        )

    def moa(self, elements: list[str]) -> None:
        self._claim_remarks(elements, _MOA_REMARKS, "MOA")

    def mia(self, elements: list[str]) -> None:
        self._claim_remarks(elements, _MIA_REMARKS, "MIA")

    def _claim_remarks(
        self, elements: list[str], places: tuple[int, ...], tag: str
    ) -> None:
        assert self.draft is not None
        claim = self.draft.claim
        if claim is None:
            self._orphan(tag, "a claim (CLP)")
            return
        for index in places:
            code = _at(elements, index)
            if code:
                claim.remarks.append(_remark(code))

    def dtm(self, elements: list[str]) -> None:
        draft = self.draft
        assert draft is not None
        if len(elements) < 3:
            elements = elements + [""] * (3 - len(elements))
        qualifier = elements[1]
        day = _date_cache.get(elements[2]) or self.date(
            elements, 2, _DATE_FIELDS.get(qualifier, "date")
        )
        line = draft.line
        if line is not None:
            if qualifier == "472":
                line.service_from = line.service_to = day
            elif qualifier == "150":
                line.service_from = day
            elif qualifier == "151":
                line.service_to = day
            return
        claim = draft.claim
        if claim is not None:
            if qualifier == "232":
                claim.statement_from = day
            elif qualifier == "233":
                claim.statement_to = day
            elif qualifier == "050":
                claim.received = day
            return
        if qualifier == "405":
            draft.production = day

    # -- lines -------------------------------------------------------------

    def svc(self, elements: list[str]) -> None:
        draft = self.draft
        assert draft is not None
        claim = draft.claim
        if claim is None:
            self._orphan("SVC", "a claim (CLP)")
            return
        if draft.line is not None:
            self.close_line()
        size = len(elements)
        if size > 8:
            self._extra_svc(size)
        elif size < 8:
            elements += [""] * (8 - size)
        line = _LineDraft(
            len(claim.lines) + 1, self.count, elements[4] or None
        )
        draft.line = line
        amounts = _money_cache
        text = elements[1]
        line.procedure = self.procedures.get(text) or self.procedure(text, 1)
        line.charge = amounts.get(elements[2]) or self.money(
            elements, 2, "line charge"
        )
        line.paid = amounts.get(elements[3]) or self.money(
            elements, 3, "line payment"
        )
        line.units = amounts.get(elements[5]) or self.money(
            elements, 5, "units"
        )
        if elements[6]:
            line.submitted_procedure = self.procedure(elements[6], 6)
        if elements[7]:
            line.submitted_units = self.money(elements, 7, "submitted units")

    def _extra_svc(self, size: int) -> None:
        self.problem(
            "extra-elements",
            "warning",
            f"SVC has {size - 1} elements where the 835 defines 7; the"
            " extra ones were ignored.",
            "SVC",
            8,
        )

    def procedure(self, text: str, index: int) -> Procedure | None:
        """
        The procedure in composite *text* (``SVC01`` or ``SVC06``).
        """
        found = self.procedures.get(text)
        if found is not None or not text:
            return found
        parts = self.composite(text, "SVC", index)
        if len(parts) < 2 or not parts[1]:
            self.problem(
                "bad-procedure",
                "warning",
                f"SVC{index:02d} has no procedure code after its qualifier.",
                "SVC",
                index,
            )
        found = Procedure(
            qualifier=parts[0],
            code=parts[1] if len(parts) > 1 else "",
            modifiers=tuple(part for part in parts[2:6] if part),
            description=parts[6] if len(parts) > 6 and parts[6] else None,
        )
        if len(parts) > 1 and parts[1] and len(self.procedures) < 4096:
            self.procedures[text] = found

        return found

    def close_line(self) -> None:
        draft = self.draft
        assert draft is not None
        line = draft.line
        if line is None:
            return
        claim = draft.claim
        assert claim is not None
        claim.lines.append(line.freeze())
        draft.line = None
        problem = line_problem(
            claim.number,
            line.number,
            line.charge,
            line.paid,
            line.total,
            not line.unreadable,
            line.segment,
            self._balance_problem,
        )
        if problem is not None:
            draft.balancing.append(problem)

    def ref(self, elements: list[str]) -> None:
        assert self.draft is not None
        line = self.draft.line
        if line is not None and len(elements) > 1 and elements[1] == "6R":
            line.control_number = _at(elements, 2)

    def amt(self, elements: list[str]) -> None:
        assert self.draft is not None
        line = self.draft.line
        if line is not None and len(elements) > 1 and elements[1] == "B6":
            line.allowed = self.money(elements, 2, "allowed amount")

    def lq(self, elements: list[str]) -> None:
        assert self.draft is not None
        line = self.draft.line
        if line is None:
            self._orphan("LQ", "a service line (SVC)")
            return
        qualifier, code = _at(elements, 1), _at(elements, 2)
        if not code:
            self.problem(
                "missing-value",
                "error",
                "LQ02 (remark code) is empty.",
                "LQ",
                2,
            )
        elif qualifier == "HE":
            line.remarks.append(_remark(code))
        else:
            line.other_remarks.append((qualifier or "", code))

    # -- adjustments -------------------------------------------------------

    def cas(self, elements: list[str]) -> None:
        draft = self.draft
        assert draft is not None
        claim, line = draft.claim, draft.line
        if claim is None:
            self._orphan("CAS", "a claim (CLP)")
            return
        size = len(elements)
        group = elements[1] if size > 1 else ""
        refs = _refs.get(group) or _refs_for(group)
        if group in _GROUPS:
            group = _GROUPS[group]
        else:
            self._bad_group(group)
        if size > 20:
            self._extra_cas(size)
            del elements[20:]
        else:
            # Padded to whole triplets, so the loop needs no bounds checks.
            elements += _PADDING[size % 3]
        add = (line or claim).adjustments.append
        amounts = _money_cache
        make = _make_adjustment
        segment = self.count
        # Balancing sums, kept as the amounts come, in file order.
        claim_total = claim.total
        line_total = line.total if line is not None else None
        for at, triplet in _TRIPLETS[len(elements)]:
            reason = elements[at]
            text = elements[at + 1]
            count = elements[at + 2]
            if not reason:
                if text or count:
                    self._triplet_without_reason(at)
                continue
            ref = refs.get(reason) or _reference(refs, group, reason)
            amount = amounts.get(text) or _decimal(text)
            if amount is None:
                self._triplet_amount(elements, at, text)
                claim_total = line_total = None
            else:
                if claim_total is not None:
                    claim_total += amount
                if line_total is not None:
                    line_total += amount
            quantity = None
            if count:
                quantity = amounts.get(count) or self.money(
                    elements, at + 2, "adjustment quantity"
                )
            add(make(group, ref, amount, quantity, segment, triplet))
        claim.total = claim_total
        if line is not None:
            line.total = line_total

    def _triplet_amount(self, elements: list[str], at: int, text: str) -> None:
        if text:
            self.money(elements, at + 1, "adjustment amount")
            return
        self.problem(
            "missing-value",
            "error",
            f"CAS{at:02d} has a reason code but CAS{at + 1:02d} no amount.",
            "CAS",
            at + 1,
        )

    def _triplet_without_reason(self, at: int) -> None:
        self.problem(
            "missing-value",
            "error",
            f"CAS{at + 1:02d} has an amount but CAS{at:02d} no reason code;"
            " the amount was left out.",
            "CAS",
            at,
        )

    def _bad_group(self, group: str) -> None:
        self.problem(
            "bad-group",
            "error",
            f"Group code {group[:4]!r} (CAS01) is not one of"
            f" {', '.join(GROUP_CODES)}; the adjustments are kept with it"
            " as sent.",
            "CAS",
            1,
        )

    def _extra_cas(self, size: int) -> None:
        self.problem(
            "extra-elements",
            "warning",
            f"CAS has {size - 1} elements where the 835 defines 19; the"
            " extra ones were ignored.",
            "CAS",
            20,
        )

    def plb(self, elements: list[str]) -> None:
        draft = self.draft
        assert draft is not None
        self.close_claim()
        provider = _at(elements, 1)
        period = self.date(elements, 2, "fiscal period date")
        segment = self.count
        for index, at in enumerate(range(3, min(len(elements), 15), 2), 1):
            text = elements[at]
            amount_text = _at(elements, at + 1)
            if not text and not amount_text:
                continue
            parts = self.composite(text, "PLB", at) if text else [""]
            if not parts[0]:
                self.problem(
                    "missing-value",
                    "error",
                    f"PLB{at:02d} has no adjustment reason code.",
                    "PLB",
                    at,
                )
            if not amount_text:
                self.problem(
                    "missing-value",
                    "error",
                    f"PLB{at + 1:02d} has no amount.",
                    "PLB",
                    at + 1,
                )
            draft.plbs.append(
                ProviderAdjustment(
                    provider=provider,
                    fiscal_period_end=period,
                    reason=parts[0],
                    reference=parts[1] if len(parts) > 1 else None,
                    amount=self.money(elements, at + 1, "provider adjustment"),
                    segment=segment,
                    index=index,
                )
            )

    def _orphan(self, tag: str, parent: str) -> None:
        self.problem(
            "misplaced-segment",
            "error",
            f"{tag} appears before {parent} it could belong to; it was"
            " ignored.",
            tag,
        )


_KNOWN_STATUS: Final = frozenset(
    ["1", "2", "3", "4", "19", "20", "21", "22", "23", "25"]
)


def _decimal(text: str) -> Decimal | None:
    """
    *text* as a Decimal, ``None`` when empty or not an X12 amount.
    """
    amount = _money_cache.get(text)
    if amount is not None or not text:
        return amount
    # X12 amounts are digits with an optional sign and decimal point;
    # Decimal alone would also take "1e5", "NaN" or "1_000".
    if text.strip(_NUMBER_CHARS):
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if len(_money_cache) >= _CACHE_LIMIT:
        _money_cache.clear()
    _money_cache[text] = amount

    return amount


def _at(elements: list[str], index: int) -> str | None:
    """
    Element *index* of a segment, ``None`` when absent or empty.
    """
    if index < len(elements):
        return elements[index] or None

    return None


def _refs_for(group: str) -> dict[str, CodeRef]:
    refs = _refs.get(group)
    if refs is None:
        refs = {}
        if len(_refs) < 64:
            _refs[group] = refs

    return refs


def _reference(refs: dict[str, CodeRef], group: str, reason: str) -> CodeRef:
    code = reason.strip().upper()
    if code.isdigit():
        code = code.lstrip("0") or "0"
    ref = CodeRef("carc", code, group if group in _GROUPS else None)
    if len(refs) < 4096:
        refs[reason] = ref

    return ref


def _remark(code: str) -> CodeRef:
    ref = _remarks.get(code)
    if ref is None:
        ref = CodeRef("rarc", code.strip().upper())
        if len(_remarks) < _CACHE_LIMIT:
            _remarks[code] = ref

    return ref
