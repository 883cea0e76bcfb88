"""
The records an 835 is read into: remittances, claims, lines, adjustments.

Every record is frozen.  Money is ``decimal.Decimal``, dates are
``datetime.date``.  A value that could not be read is ``None`` on the
record, its text is kept in the record's ``unreadable`` pairs, and the
reader reports a problem for it.  Patient names and identifiers, claim
numbers and dates of service print as ``***`` in reprs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast

import attrs

from .._codes import CodeRef

if TYPE_CHECKING:
    from ..appeals import PayerType

Severity = Literal["error", "warning"]
T = TypeVar("T")

# CLP02 claim status codes (X12 835 TR3, element 1029), in our own words.
CLAIM_STATUSES: Final[dict[str, str]] = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, forwarded to another payer",
    "20": "processed as secondary, forwarded to another payer",
    "21": "processed as tertiary, forwarded to another payer",
    "22": "reversal of a previous payment",
    "23": "not this payer's claim, forwarded to another payer",
    "25": "priced for predetermination only, not paid",
}

# CLP06 claim filing indicator codes (X12 835 TR3, element 1032) by the
# payer type whose appeal clock applies.  "erisa" cannot be told from an
# 835, so employer plans count as commercial; ZZ ("mutually defined")
# and codes not listed give no payer type.
FILING_INDICATORS: Final[dict[str, PayerType]] = {
    "MA": "medicare_ab",
    "MB": "medicare_ab",
    "16": "medicare_advantage",
    "MC": "medicaid",
    "12": "commercial",
    "13": "commercial",
    "14": "commercial",
    "15": "commercial",
    "17": "commercial",
    "BL": "commercial",
    "CI": "commercial",
    "HM": "commercial",
    "11": "other",
    "AM": "other",
    "CH": "other",
    "DS": "other",
    "FI": "other",
    "LM": "other",
    "OF": "other",
    "TV": "other",
    "VA": "other",
    "WC": "other",
}


def _mask(value: object) -> str:
    return "None" if value is None else "***"


def builder(cls: type[T]) -> Callable[..., T]:
    """
    A fast constructor for a record class that the reader makes by the
    hundred thousand, taking every field positionally, in declaration
    order.

    The class inherits its slots from a plain base class (such as
    ``_AdjustmentSlots``) and attrs adds none of its own.  The
    constructor fills an instance of the base with ordinary attribute
    stores, then makes it an instance of *cls*, which Python allows
    because both have the same memory layout.  That is twice as fast as
    setting the frozen slots one by one through their descriptors and
    four times as fast as the generated ``__init__``, and does the same
    for these classes: they have no validators, converters or hash
    cache.  A field missing from the base would make attrs add a slot,
    and the switch impossible, so that is refused here, at import.
    """
    base = cls.__mro__[1]
    names = [field.name for field in attrs.fields(cast(Any, cls))]
    slots = {name for name in base.__dict__["__slots__"] if name[:2] != "__"}
    if cls.__dict__.get("__slots__") or slots != set(names):
        raise TypeError(
            f"{base.__name__}.__slots__ must list every field of"
            f" {cls.__name__} and nothing else."
        )
    lines = [
        f"def build({', '.join(names)}):",
        "    self = _slots_base()",
        *(f"    self.{name} = {name}" for name in names),
        "    self.__class__ = _record",
        "    return self",
    ]
    scope: dict[str, Any] = {"_slots_base": base, "_record": cls}
    code = compile("\n".join(lines), f"<builder {cls.__name__}>", "exec")
    exec(code, scope)

    return cast("Callable[..., T]", scope["build"])


Unreadable = tuple[tuple[str, str], ...]


@attrs.frozen(kw_only=True)
class Position:
    """
    Where in a source a problem was found.

    ``interchange`` and ``transaction`` count from 1 in file order and are
    ``None`` outside of one; ``segment`` counts every segment from the
    start of the source; ``element`` is the element's number within its
    segment (``CAS02`` is 2), when one element is at fault.

    Added in 0.1.0.
    """

    interchange: int | None
    transaction: int | None
    segment: int
    segment_id: str
    element: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.interchange is not None:
            parts.append(f"interchange {self.interchange}")
        if self.transaction is not None:
            parts.append(f"transaction {self.transaction}")
        where = (
            f"{self.segment_id}{self.element:02d}"
            if self.element
            else self.segment_id
        )
        # Problems about the whole text, such as an empty file, have no
        # segment id to show.
        segment = f"segment {self.segment}"
        parts.append(f"{segment} ({where})" if where else segment)

        return ", ".join(parts)


@attrs.frozen(kw_only=True)
class Problem:
    """
    Something wrong or unusual in an 835, and where it is.

    ``code`` is a stable short name such as ``"claim-imbalance"``;
    ``message`` says what was found and what it means, without patient
    data, so problems are safe to log.  ``raw`` keeps the text that could
    not be read, which may be patient data and is never printed.

    Added in 0.1.0.
    """

    code: str
    severity: Severity
    message: str
    position: Position | None = None
    raw: str | None = attrs.field(default=None, repr=_mask)

    def __str__(self) -> str:
        where = f"{self.position}: " if self.position else ""

        return f"{where}{self.message} [{self.severity}: {self.code}]"


class _AdjustmentSlots:
    # The slots of Adjustment, writable: see builder().
    __slots__ = (
        "__weakref__",
        "amount",
        "group",
        "quantity",
        "reason",
        "segment",
        "triplet",
    )


@attrs.frozen(kw_only=True)
class Adjustment(_AdjustmentSlots):
    """
    One reason/amount/quantity triplet of a ``CAS`` segment.

    ``group`` is the group code as sent (``"CO"``, ``"PR"``, …, or
    whatever the payer wrote); ``reason`` is the CARC as a code reference,
    carrying the group when it is one of the five X12 group codes.
    ``triplet`` is 1 to 6, the triplet's place in its ``CAS`` segment,
    and ``segment`` the segment's number in the source.

    Added in 0.1.0.
    """

    group: str
    reason: CodeRef
    amount: Decimal | None
    quantity: Decimal | None = None
    segment: int = 0
    triplet: int = 1


@attrs.frozen(kw_only=True)
class Procedure:
    """
    A procedure composite such as ``HC:99213:25``.

    Added in 0.1.0.
    """

    qualifier: str
    code: str
    modifiers: tuple[str, ...] = ()
    description: str | None = None

    def __str__(self) -> str:
        return ":".join((self.qualifier, self.code, *self.modifiers))


class _ServiceLineSlots:
    # The slots of ServiceLine, writable: see builder().
    __slots__ = (
        "__weakref__",
        "adjustments",
        "allowed",
        "charge",
        "control_number",
        "number",
        "other_remarks",
        "paid",
        "procedure",
        "remarks",
        "revenue_code",
        "segment",
        "service_from",
        "service_to",
        "submitted_procedure",
        "submitted_units",
        "units",
        "unreadable",
    )


@attrs.frozen(kw_only=True)
class ServiceLine(_ServiceLineSlots):
    """
    One service payment line (``SVC`` loop) of a claim.

    ``number`` counts the lines of the claim from 1.  ``procedure`` is
    the code the payer adjudicated, ``submitted_procedure`` (``SVC06``)
    the one billed when the payer changed it.

    Added in 0.1.0.
    """

    number: int
    procedure: Procedure | None
    charge: Decimal | None
    paid: Decimal | None
    revenue_code: str | None = None
    units: Decimal | None = None
    submitted_procedure: Procedure | None = None
    submitted_units: Decimal | None = None
    service_from: datetime.date | None = attrs.field(default=None, repr=_mask)
    service_to: datetime.date | None = attrs.field(default=None, repr=_mask)
    control_number: str | None = attrs.field(default=None, repr=_mask)
    allowed: Decimal | None = None
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[CodeRef, ...] = ()
    other_remarks: tuple[tuple[str, str], ...] = ()
    segment: int = 0
    unreadable: Unreadable = attrs.field(default=(), repr=False)


@attrs.frozen(kw_only=True)
class ClaimStatus:
    """
    A decoded ``CLP02`` claim status; unknown values are kept as sent.

    >>> ClaimStatus.of("22").description
    'reversal of a previous payment'
    >>> ClaimStatus.of("99").is_known
    False

    Added in 0.1.0.
    """

    code: str
    description: str | None

    @classmethod
    def of(cls, code: str) -> ClaimStatus:
        """
        The status for a ``CLP02`` value.
        """
        return _STATUSES.get(code) or cls(code=code, description=None)

    @property
    def is_known(self) -> bool:
        """
        Whether the code is one the 835 defines.
        """
        return self.description is not None

    @property
    def is_reversal(self) -> bool:
        """
        Whether the claim takes back an earlier payment (status 22).
        """
        return self.code == "22"

    @property
    def is_denied(self) -> bool:
        """
        Whether the payer denied the whole claim (status 4).
        """
        return self.code == "4"


_STATUSES: Final = {
    code: ClaimStatus(code=code, description=text)
    for code, text in CLAIM_STATUSES.items()
}


class _PatientSlots:
    # The slots of Patient, writable: see builder().
    __slots__ = (
        "__weakref__",
        "first_name",
        "id",
        "id_qualifier",
        "last_name",
        "middle_name",
    )


@attrs.frozen(kw_only=True)
class Patient(_PatientSlots):
    """
    The patient of a claim (``NM1*QC``); every field is masked in reprs.

    Added in 0.1.0.
    """

    last_name: str | None = attrs.field(default=None, repr=_mask)
    first_name: str | None = attrs.field(default=None, repr=_mask)
    middle_name: str | None = attrs.field(default=None, repr=_mask)
    id_qualifier: str | None = None
    id: str | None = attrs.field(default=None, repr=_mask)


class _ClaimSlots:
    # The slots of Claim, writable: see builder().
    __slots__ = (
        "__weakref__",
        "adjustments",
        "charge",
        "facility_type",
        "filing_indicator",
        "frequency",
        "lines",
        "number",
        "paid",
        "patient",
        "patient_control_number",
        "patient_responsibility",
        "payer_claim_control_number",
        "received",
        "remarks",
        "segment",
        "statement_from",
        "statement_to",
        "status",
        "unreadable",
    )


@attrs.frozen(kw_only=True)
class Claim(_ClaimSlots):
    """
    One claim payment (``CLP`` loop) of a remittance.

    ``number`` counts the claims of the remittance from 1; use it, not
    the patient control number, to tell claims apart: real files repeat
    the same ``CLP01`` on different claims.

    Added in 0.1.0.
    """

    number: int
    patient_control_number: str = attrs.field(repr=_mask)
    status: ClaimStatus
    charge: Decimal | None
    paid: Decimal | None
    patient_responsibility: Decimal | None = None
    filing_indicator: str | None = None
    payer_claim_control_number: str | None = attrs.field(
        default=None, repr=_mask
    )
    facility_type: str | None = None
    frequency: str | None = None
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[CodeRef, ...] = ()
    patient: Patient | None = None
    statement_from: datetime.date | None = attrs.field(
        default=None, repr=_mask
    )
    statement_to: datetime.date | None = attrs.field(default=None, repr=_mask)
    received: datetime.date | None = attrs.field(default=None, repr=_mask)
    lines: tuple[ServiceLine, ...] = ()
    segment: int = 0
    unreadable: Unreadable = attrs.field(default=(), repr=False)

    @property
    def payer_type(self) -> PayerType | None:
        """
        The kind of payer, from the claim filing indicator (``CLP06``).

        ``None`` when the indicator is missing or says nothing about the
        payer (``ZZ``).
        """
        return FILING_INDICATORS.get(self.filing_indicator or "")

    @property
    def service_date(self) -> datetime.date | None:
        """
        The first date of service of the claim, from its lines or, when
        they have none, the statement period.
        """
        days = [line.service_from for line in self.lines if line.service_from]

        return min(days) if days else self.statement_from

    def all_adjustments(
        self,
    ) -> Iterator[tuple[ServiceLine | None, Adjustment]]:
        """
        Every adjustment of the claim: claim level first (line ``None``),
        then each line's in order.
        """
        for adjustment in self.adjustments:
            yield None, adjustment
        for line in self.lines:
            for adjustment in line.adjustments:
                yield line, adjustment


@attrs.frozen(kw_only=True)
class ProviderAdjustment:
    """
    One reason/amount pair of a provider-level adjustment (``PLB``).

    A positive amount reduces the payment (money the provider owes), a
    negative one adds to it (interest, for example).  ``reference`` is
    often a claim number and is masked in reprs.

    Added in 0.1.0.
    """

    provider: str | None
    fiscal_period_end: datetime.date | None
    reason: str
    reference: str | None = attrs.field(default=None, repr=_mask)
    amount: Decimal | None
    segment: int = 0
    index: int = 1


@attrs.frozen(kw_only=True)
class Party:
    """
    The payer (``N1*PR``) or payee (``N1*PE``) of a remittance.

    Added in 0.1.0.
    """

    entity: str
    name: str | None
    id_qualifier: str | None = None
    id: str | None = None


@attrs.frozen(kw_only=True)
class Payment:
    """
    The financial information of ``BPR``: how much, how and when.

    ``handling`` is ``BPR01`` (``"C"`` payment with remittance, ``"H"``
    notification only, …); ``method`` is ``BPR04`` (``"CHK"``,
    ``"ACH"``, ``"NON"``, …).

    Added in 0.1.0.
    """

    handling: str | None
    amount: Decimal | None
    credit_debit: str | None = None
    method: str | None = None
    date: datetime.date | None = None


@attrs.frozen(kw_only=True)
class Trace:
    """
    The reassociation trace (``TRN``): check or EFT number and its
    originator.

    Added in 0.1.0.
    """

    type: str | None
    number: str | None
    originator: str | None = None


@attrs.frozen(kw_only=True)
class Reversal:
    """
    A reversed claim (status 22) and the claim that corrects it, when the
    same remittance carries one.

    Added in 0.1.0.
    """

    reversal: Claim
    correction: Claim | None


@attrs.frozen(kw_only=True)
class Remittance:
    """
    One 835 transaction: a payment or notice and the claims it explains.

    ``transaction`` counts the transactions of the source from 1;
    ``interchange`` counts its ``ISA`` envelopes (``None`` for a body
    without one).  ``problems`` are those found between this
    transaction's ``ST`` and ``SE``, balancing included; problems of the
    envelope are on the reader.

    Added in 0.1.0.
    """

    source: str
    interchange: int | None
    transaction: int
    control_number: str | None = None
    version: str | None = None
    payer: Party | None = None
    payee: Party | None = None
    payment: Payment | None = None
    trace: Trace | None = None
    production_date: datetime.date | None = None
    claims: tuple[Claim, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    problems: tuple[Problem, ...] = ()
    unreadable: Unreadable = attrs.field(default=(), repr=False)

    @property
    def notice_date(self) -> datetime.date | None:
        """
        The date the payer's notice counts from: the payment date
        (``BPR16``), or else the production date (``DTM*405``).
        """
        if self.payment and self.payment.date:
            return self.payment.date

        return self.production_date

    def adjustments(
        self,
    ) -> Iterator[tuple[Claim, ServiceLine | None, Adjustment]]:
        """
        Every adjustment of every claim, claim level before line level.
        """
        for claim in self.claims:
            for adjustment in claim.adjustments:
                yield claim, None, adjustment
            for line in claim.lines:
                for adjustment in line.adjustments:
                    yield claim, line, adjustment

    @cached_property
    def reversals(self) -> tuple[Reversal, ...]:
        """
        Each reversed claim paired with its correction where present.

        A correction is a later claim of this remittance, not itself a
        reversal, with the same patient control number and, where both
        name one, the same patient identifier.  One whose charge is the
        reversed charge is preferred; each correction pairs once.
        """
        from ._balance import pair_reversals

        return pair_reversals(self.claims)
