"""
Find the denials in a remittance and explain each from the dataset.

A denial is an adjustment that denies or reduces payment for a reason
other than routine patient responsibility or the contracted write-off.
So an adjustment is a denial unless the dataset classifies its current
CARC as patient share, the contractual write-off or a money movement
with nothing to fix (``adjustment`` of ``"patient_share"``,
``"contractual"`` or ``"informational"``, such as OA-23 for a prior
payer's adjudication), or its amount is negative: a negative adjustment
adds to the payment, undoing an earlier reduction.  Codes the dataset has
not classified yet count as denials, and so does every code that is
deactivated, unknown or not an X12 CARC at all: none is hidden.

Corrections and reversals are listed but never offered for appeal: an
adjustment in group ``CR`` (the pre-5010 group for corrections and
reversals) or on a reversal (claim status 22) reworks an earlier
adjudication, so whatever there is to appeal is on the earlier claim.
Their ``is_appealable`` is ``False`` and they get no appeal deadline.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal

import attrs

from .. import load
from .._codes import CodeRef, LookupResult
from ..exceptions import UnknownCodeError
from ._imaging import ImagingRange, advanced_imaging
from ._model import Adjustment, Claim, Remittance, ServiceLine

if TYPE_CHECKING:
    from .. import Validity
    from .._dataset import Dataset
    from ..appeals import Deadline, PayerType

_log = logging.getLogger(__name__)

CodeStatus = Literal["known", "deactivated", "unknown", "non_x12"]

# The letters X12 has used to start CARCs (A0-A8, B1-B23, D1-D23,
# P1-P32, W1-W9, Y1-Y3); a specialty family with one of them is no sign
# that a code is not a CARC.
_CARC_LETTERS: Final = frozenset("ABDPWY")
_NOT_DENIALS: Final = frozenset(
    {"patient_share", "contractual", "informational"}
)
_IMAGING_REASONS: Final = frozenset({"50", "197"})
# The group that pre-5010 835s use for corrections and reversals.
_CORRECTION_GROUP: Final = "CR"
_R2: Final = CodeRef("specialty", "R2")


@attrs.frozen(kw_only=True)
class CodeCheck:
    """
    What the dataset says about a code found on a remittance.

    ``status`` is ``"known"`` (a current code), ``"deactivated"``,
    ``"unknown"`` (not in this release, perhaps newer) or ``"non_x12"``
    (a value that cannot be a code of this kind, such as a specialty
    code like ``R2`` or a masked ``XX`` in a ``CAS``).  ``lookup`` is the
    dataset's answer when there is one: for a non-X12 value that is a
    denialkit code of another set, the record of that code.

    Added in 0.1.0.
    """

    code: CodeRef
    status: CodeStatus
    lookup: LookupResult | None
    release: str

    @property
    def is_known(self) -> bool:
        """
        Whether the code is in the dataset as the kind of code it was
        sent as, current or deactivated.
        """
        return self.status in ("known", "deactivated")


@attrs.frozen(kw_only=True)
class Denial:
    """
    One adjustment that denied or reduced payment, explained.

    ``line`` is ``None`` for a claim-level adjustment.  ``validity`` tells
    whether the CARC could be used on the date of service (a deactivated
    code is checked against its stop date).  ``specialty`` is the
    specialty code the denial amounts to, such as ``R2`` for CO-50 or
    CO-197 on an advanced imaging procedure (``imaging`` says which
    range matched).  ``deadline`` is the first-level appeal deadline from
    the remittance's notice date and the claim's payer type, when both
    are known and the code is not one to correct and resubmit.

    ``is_appealable`` is the dataset's advice for the code, ``None`` when
    it has none, and always ``False`` for an adjustment in group ``CR``
    or on a reversal (claim status 22): those rework an earlier
    adjudication and are listed, never offered for appeal.  The repr
    shows codes, amounts and the appeal deadline (counted from the
    notice date, not from a date of service); the date of service in
    ``validity`` is masked.

    Added in 0.1.0; never appealable in group ``CR`` since 0.2.0.
    """

    remittance: Remittance = attrs.field(repr=False)
    claim: Claim = attrs.field(repr=False)
    line: ServiceLine | None = attrs.field(repr=False)
    adjustment: Adjustment
    reason: CodeCheck
    validity: Validity | None = None
    remarks: tuple[CodeCheck, ...] = ()
    specialty: CodeRef | None = None
    imaging: ImagingRange | None = None
    is_appealable: bool | None = None
    payer_type: PayerType | None = None
    deadline: Deadline | None = None

    @property
    def group(self) -> str:
        """
        The group code as sent, such as ``"CO"``.
        """
        return self.adjustment.group

    @property
    def amount(self) -> Decimal | None:
        """
        The adjustment amount (a ``Decimal``, or ``None`` if unreadable).
        """
        return self.adjustment.amount

    @property
    def where(self) -> str:
        """
        ``"claim 2"`` or ``"claim 2, line 1"``: the claim and line by
        their numbers in the remittance, never by patient data.
        """
        claim = f"claim {self.claim.number}"

        return f"{claim}, line {self.line.number}" if self.line else claim


def check_code(code: CodeRef, *, dataset: Dataset | None = None) -> CodeCheck:
    """
    Look a remittance code up, telling known, deactivated, unknown and
    non-X12 values apart; answers are cached per dataset.

    >>> from denialkit import CodeRef
    >>> check_code(CodeRef("carc", "50", "CO")).status
    'known'
    >>> check_code(CodeRef("carc", "XX", "CO")).status
    'non_x12'

    Added in 0.1.0.
    """
    if dataset is None:
        cache = _default[0] if _default else _default_cache()
    else:
        cache = _cache_for(dataset)
    # The reader shares one CodeRef per code, so identity finds most
    # answers without hashing the reference; the entry keeps the object
    # alive, so its id cannot be reused.
    entry = cache.by_id.get(id(code))
    if entry is not None and entry[0] is code:
        return entry[1]
    key = (code.code_set, code.code, code.group)
    found = cache.by_value.get(key)
    if found is None:
        found = _check(code, cache.dataset)
        cache.by_value[key] = found
    if len(cache.by_id) < 100_000:
        cache.by_id[id(code)] = (code, found)

    return found


_default: list[_Cache] = []


def _default_cache() -> _Cache:
    # load() without a release always answers the same newest release.
    if not _default:
        _default.append(_cache_for(load()))

    return _default[0]


class _Cache:
    """
    The answers of one dataset, by code identity and by code value.
    """

    __slots__ = ("by_id", "by_value", "dataset")

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.by_id: dict[int, tuple[CodeRef, CodeCheck]] = {}
        self.by_value: dict[tuple[object, ...], CodeCheck] = {}


_caches: dict[int, _Cache] = {}


def _cache_for(dataset: Dataset) -> _Cache:
    # Keyed by identity: an overlaid dataset shares its release id with
    # the plain one but may answer differently.  The cache keeps its
    # dataset, so the id cannot be reused while the entry lives.
    cache = _caches.get(id(dataset))
    if cache is None:
        if len(_caches) >= 8:
            _caches.clear()
        cache = _caches[id(dataset)] = _Cache(dataset)

    return cache


def _check(code: CodeRef, dataset: Dataset) -> CodeCheck:
    try:
        result = dataset.lookup(code)
    except UnknownCodeError:
        pass
    else:
        status: CodeStatus = (
            "known" if result.record.is_current else "deactivated"
        )
        return CodeCheck(
            code=code, status=status, lookup=result, release=dataset.release
        )
    other = _elsewhere(code, dataset)
    if other is not None or _is_foreign(code, dataset):
        return CodeCheck(
            code=code, status="non_x12", lookup=other, release=dataset.release
        )

    return CodeCheck(
        code=code, status="unknown", lookup=None, release=dataset.release
    )


def _elsewhere(code: CodeRef, dataset: Dataset) -> LookupResult | None:
    """
    The record of *code* in another code set, if it is one.
    """
    for code_set in ("specialty", "carc", "rarc", "group"):
        if code_set != code.code_set and f"{code_set}:{code.code}" in dataset:
            return dataset.lookup(CodeRef(code_set, code.code))

    return None


def _is_foreign(code: CodeRef, dataset: Dataset) -> bool:
    """
    Whether *code* cannot be an X12 code of its set even in a newer
    release: no digit, a character that is not a letter or digit, or the
    prefix of a specialty family that X12 does not use.
    """
    text = code.code
    if not text.isalnum() or not any(char.isdigit() for char in text):
        return True
    if code.code_set != "carc":
        return False
    prefix = text.rstrip("0123456789")

    return prefix in _foreign_prefixes(dataset)


_prefixes: dict[str, frozenset[str]] = {}


def _foreign_prefixes(dataset: Dataset) -> frozenset[str]:
    found = _prefixes.get(dataset.release)
    if found is None:
        families = {
            record.family or record.code.rstrip("0123456789")
            for record in dataset.codes("specialty")
        }
        found = frozenset(families - _CARC_LETTERS - {""})
        _prefixes[dataset.release] = found

    return found


def is_denial(check: CodeCheck) -> bool:
    """
    Whether an adjustment with this reason counts as a denial.

    A known CARC that the dataset classifies as patient share, the
    contractual write-off or informational (a money movement with nothing
    to fix, such as OA-23, a prior payer's adjudication) does not;
    every other code, including unknown and non-X12 values, does.
    """
    if check.status != "known" or check.lookup is None:
        return True

    return check.lookup.record.adjustment not in _NOT_DENIALS


def denials(
    remittance: Remittance, *, dataset: Dataset | None = None
) -> Iterator[Denial]:
    """
    Every denial of a remittance, claim level before line level, in file
    order.

    Adjustments with a negative amount are not denials: they add to the
    payment.  Adjustments in group ``CR`` or on a reversal (claim status
    22) are yielded when their code is a denial, with ``is_appealable``
    set to ``False``.

    Args:
        remittance: One transaction from :func:`read`.
        dataset: The dataset release to explain codes from (the newest
            by default).

    >>> from denialkit.remit import read
    >>> text = (
    ...     "ST*835*0001~BPR*I*0*C*NON************20240110~"
    ...     "N1*PR*FAKE PLAN~N1*PE*FAKE CLINIC~"
    ...     "CLP*FAKEACCT*4*900*0**CI*FAKEICN~"
    ...     "SVC*HC:70553*900*0**1~DTM*472*20240102~CAS*CO*50*900~SE*9*0001~"
    ... )
    >>> [remittance] = read(text)
    >>> [denial] = denials(remittance)
    >>> denial.where, str(denial.specialty), denial.imaging.modality
    ('claim 1, line 1', 'specialty:R2', 'MR')
    >>> denial.deadline.date
    datetime.date(2024, 7, 8)

    Added in 0.1.0; leaves negative adjustments out since 0.2.0.
    """
    if dataset is None:
        dataset = load()
    notice = remittance.notice_date
    for claim in remittance.claims:
        payer_type = claim.payer_type
        for line, adjustment in claim.all_adjustments():
            if _is_negative(adjustment):
                continue
            check = check_code(adjustment.reason, dataset=dataset)
            if not is_denial(check):
                continue
            yield _denial(
                remittance,
                claim,
                line,
                adjustment,
                check,
                dataset,
                notice,
                payer_type,
            )


def _denial(
    remittance: Remittance,
    claim: Claim,
    line: ServiceLine | None,
    adjustment: Adjustment,
    check: CodeCheck,
    dataset: Dataset,
    notice: datetime.date | None,
    payer_type: PayerType | None,
) -> Denial:
    # A non-X12 value's record is another kind of code: its dates and
    # guidance say nothing about this adjustment.
    record = check.lookup.record if check.lookup and check.is_known else None
    service_date = (line.service_from if line else None) or claim.service_date
    validity = None
    if record is not None and service_date is not None:
        validity = record.valid_on(service_date)
    remarks = line.remarks if line else claim.remarks
    imaging = _imaging(adjustment, line)
    appealable = record.is_appealable if record else None
    if reworks_earlier(claim, adjustment):
        appealable = False
    deadline = None
    if payer_type and notice and appealable is not False:
        deadline = _deadline(payer_type, notice)

    return Denial(
        remittance=remittance,
        claim=claim,
        line=line,
        adjustment=adjustment,
        reason=check,
        validity=validity,
        remarks=tuple(check_code(code, dataset=dataset) for code in remarks),
        specialty=_R2 if imaging else None,
        imaging=imaging,
        is_appealable=appealable,
        payer_type=payer_type,
        deadline=deadline,
    )


def reworks_earlier(claim: Claim, adjustment: Adjustment) -> bool:
    """
    Whether an adjustment corrects or undoes an earlier adjudication, so
    there is nothing in it to appeal.

    True for group ``CR`` (corrections and reversals, used before 5010)
    and for any adjustment on a reversal (claim status 22), which takes
    back an earlier payment.  Negative adjustments, which undo an earlier
    reduction, are not denials at all, so they never get here.
    """
    return (
        adjustment.group.upper() == _CORRECTION_GROUP
        or claim.status.is_reversal
    )


def _is_negative(adjustment: Adjustment) -> bool:
    return adjustment.amount is not None and adjustment.amount < 0


def _imaging(
    adjustment: Adjustment, line: ServiceLine | None
) -> ImagingRange | None:
    """
    The advanced imaging range of the line's procedure when the
    adjustment is CO-50 or CO-197 (specialty code R2).
    """
    if line is None or adjustment.group != "CO":
        return None
    if adjustment.reason.code not in _IMAGING_REASONS:
        return None
    for procedure in (line.procedure, line.submitted_procedure):
        # Only HCPCS/CPT codes (qualifier HC) name imaging procedures.
        if procedure is not None and procedure.qualifier == "HC":
            found = advanced_imaging(procedure.code)
            if found is not None:
                return found

    return None


def _deadline(payer_type: PayerType, notice: datetime.date) -> Deadline:
    from ..appeals import appeal_deadline

    return appeal_deadline(payer_type, "first", notice)
