"""
The core records: code references, denial codes and their editorial layer.

Everything here is frozen and slotted.  Nothing here knows about letters,
remittances or the command line.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cached_property
from typing import Final, Literal, get_args

import attrs

from .exceptions import CodeSyntaxError

CodeSet = Literal["carc", "rarc", "group", "specialty"]
GroupCode = Literal["CO", "PR", "OA", "PI", "CR"]
Status = Literal["current", "deactivated"]
Category = Literal[
    "medical_necessity",
    "authorization",
    "eligibility",
    "coverage",
    "benefit_limit",
    "coding",
    "bundling",
    "timely_filing",
    "duplicate",
    "coordination_of_benefits",
    "liability",
    "patient_responsibility",
    "information_requested",
    "provider_eligibility",
    "contractual",
    "pricing",
    "payment_adjustment",
    "appeal_procedure",
    "informational",
    "other",
]
Adjustment = Literal["denial", "patient_share", "contractual", "informational"]
RemarkType = Literal["supplemental", "alert"]
AppealAction = Literal["appeal", "correct_and_resubmit"]
ValidityState = Literal["valid", "not_yet_valid", "deactivated", "unknown"]

CODE_SETS: Final[tuple[CodeSet, ...]] = get_args(CodeSet)
GROUP_CODES: Final[tuple[GroupCode, ...]] = get_args(GroupCode)
CATEGORIES: Final[tuple[Category, ...]] = get_args(Category)

_EXPLICIT = re.compile(
    r"\s*(carc|rarc|group|specialty)\s*:\s*([a-z0-9]+)\s*", re.IGNORECASE
)
_GROUPED = re.compile(r"\s*(CO|PR|OA|PI|CR)[\s\-]*([a-z0-9]+)\s*", re.I)
_BARE = re.compile(r"\s*([a-z0-9]+)\s*", re.IGNORECASE)
_RARC = re.compile(r"(?:M|MA|N)\d+")


@attrs.frozen
class CodeRef:
    """
    A code as people type it or payers send it, before it is looked up.

    ``code_set`` is ``None`` for a bare code such as ``"B2"`` whose set
    only a dataset can tell.  A group prefix (``"CO-50"``) is kept in
    ``group`` and makes the code a CARC.

    >>> CodeRef.parse("co 50")
    CodeRef(code_set='carc', code='50', group='CO')
    >>> str(CodeRef.parse("specialty:b2"))
    'specialty:B2'
    >>> CodeRef.parse("N386").code_set
    'rarc'

    Added in 0.1.0.
    """

    code_set: CodeSet | None
    code: str
    group: GroupCode | None = None

    @classmethod
    def parse(cls, text: str) -> CodeRef:
        """
        Read one code reference.

        Args:
            text: ``"50"``, ``"CO-50"``, ``"co 50"``, ``"CO50"``,
                ``"N386"``, ``"MA130"``, ``"R2"``, ``"carc:B2"``,
                ``"specialty:B2"`` and the like; case and surrounding
                spaces do not matter.

        Raises:
            CodeSyntaxError: *text* matches none of the accepted forms.
        """
        match = _EXPLICIT.fullmatch(text)
        if match:
            code_set = match.group(1).lower()
            return cls(code_set, _normal(match.group(2)))  # type: ignore[arg-type]

        match = _GROUPED.fullmatch(text)
        if match:
            group = match.group(1).upper()
            return cls("carc", _normal(match.group(2)), group)  # type: ignore[arg-type]

        match = _BARE.fullmatch(text)
        if match is None:
            raise CodeSyntaxError(text)
        code = _normal(match.group(1))
        if code in GROUP_CODES:
            return cls("group", code)
        if _RARC.fullmatch(code):
            return cls("rarc", code)

        return cls(None, code)

    @property
    def key(self) -> str:
        """
        ``"code_set:code"``, or the bare code when the set is not known.
        """
        return f"{self.code_set}:{self.code}" if self.code_set else self.code

    def __str__(self) -> str:
        if self.group:
            return f"{self.group}-{self.code}"

        return self.key


def _normal(code: str) -> str:
    code = code.upper()
    # Payers sometimes zero-pad numeric CARCs ("050").  Only all-digit
    # codes are trimmed: "PT01" and "PT1" are different specialty codes.
    return code.lstrip("0") or "0" if code.isdigit() else code


@attrs.frozen(kw_only=True)
class Source:
    """
    A public page that a statement in the dataset rests on.

    Added in 0.1.0.
    """

    id: str
    title: str
    url: str
    read: datetime.date


@attrs.frozen(kw_only=True)
class Fact:
    """
    One regulatory or factual statement, with the source it comes from.

    ``uncertain`` is true where the sources disagree or are secondary.

    Added in 0.1.0.
    """

    statement: str
    source: Source
    uncertain: bool = False


@attrs.frozen(kw_only=True)
class AppealGuidance:
    """
    How to fight a denial: appeal it, or correct and resubmit the claim.

    Added in 0.1.0.
    """

    action: AppealAction
    arguments: tuple[str, ...]
    evidence: tuple[str, ...]
    letter_argument: str

    @property
    def is_appealable(self) -> bool:
        """
        Whether the advice is to appeal rather than to resubmit.
        """
        return self.action == "appeal"


@attrs.frozen(kw_only=True)
class Related:
    """
    Codes that carry or accompany a denial on a remittance.

    Added in 0.1.0.
    """

    carc: tuple[str, ...] = ()
    rarc: tuple[str, ...] = ()
    group: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Revision:
    """
    One change to a code's guidance, newest last in ``Editorial.revisions``.

    Added in 0.1.0.
    """

    release: str
    date: datetime.date
    change: str
    previous: str | None = None
    reason: str | None = None
    sources: tuple[Source, ...] = ()


@attrs.frozen(kw_only=True)
class Editorial:
    """
    Our plain-language guidance for a denial-type code.

    Added in 0.1.0.
    """

    explanation: str
    common_causes: tuple[str, ...]
    prevention: tuple[str, ...]
    appeal: AppealGuidance
    related: Related = Related()
    facts: tuple[Fact, ...] = ()
    revisions: tuple[Revision, ...] = ()

    @property
    def sources(self) -> tuple[Source, ...]:
        """
        Every source cited by the facts and revisions, once each.
        """
        seen: dict[str, Source] = {}
        for fact in self.facts:
            seen.setdefault(fact.source.id, fact.source)
        for revision in self.revisions:
            for source in revision.sources:
                seen.setdefault(source.id, source)

        return tuple(seen.values())


@attrs.frozen(kw_only=True)
class RemitMapping:
    """
    A CARC/RARC combination that carries a specialty code on a remittance.

    Added in 0.1.0.
    """

    group: str
    carc: str
    rarc: tuple[str, ...] = ()
    when: str = ""

    def __str__(self) -> str:
        remarks = "".join(f" + {remark}" for remark in self.rarc)

        return f"{self.group}-{self.carc}{remarks}"


@attrs.frozen(kw_only=True)
class Validity:
    """
    Whether a code could be used on a given date, and why.

    ``state`` is ``"unknown"`` when the lists do not give the dates needed
    to answer; denialkit does not guess them.

    Added in 0.1.0.
    """

    state: ValidityState
    on: datetime.date
    reason: str

    @property
    def is_valid(self) -> bool | None:
        """
        ``True`` or ``False``, or ``None`` when the answer is unknown.
        """
        if self.state == "unknown":
            return None

        return self.state == "valid"


@attrs.frozen(kw_only=True)
class DenialCode:
    """
    One code from one code set, as of one dataset release.

    ``title`` and ``summary`` are denialkit's own words; they are ``None``
    only in early releases for codes whose summary was not yet written
    (``has_summary`` tells).  The official X12 wording is not shipped: it
    is ``official_text`` only when loaded from your own copy of the lists
    (see ``Dataset.with_official_text``).

    Added in 0.1.0.
    """

    code_set: CodeSet
    code: str
    release: str
    status: Status
    start: datetime.date | None = None
    last_modified: datetime.date | None = None
    stop: datetime.date | None = None
    replaced_by: tuple[str, ...] = ()
    title: str | None = None
    summary: str | None = None
    category: Category | None = None
    adjustment: Adjustment | None = None
    remark_type: RemarkType | None = None
    family: str | None = None
    maps_to: tuple[RemitMapping, ...] = ()
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    note: str | None = None
    source_url: str | None = None
    official_text: str | None = None
    listed_on: datetime.date | None = attrs.field(default=None, repr=False)
    _editorial: Callable[[], Editorial | None] = attrs.field(
        default=lambda: None,
        alias="editorial_loader",
        eq=False,
        repr=False,
        hash=False,
    )

    @cached_property
    def editorial(self) -> Editorial | None:
        """
        Our guidance for this code, or ``None`` when it has none.

        Loaded from the release on first use.
        """
        return self._editorial()

    @property
    def key(self) -> str:
        """
        ``"code_set:code"``, unique within a release.
        """
        return f"{self.code_set}:{self.code}"

    @property
    def is_current(self) -> bool:
        """
        Whether the code is still active in this release.
        """
        return self.status == "current"

    @property
    def has_summary(self) -> bool:
        """
        Whether this release has our title and summary for the code.
        """
        return self.summary is not None

    @property
    def display_title(self) -> str:
        """
        The title, or a plain statement that none is written yet.
        """
        return self.title or "(no summary written yet in this release)"

    @property
    def is_appealable(self) -> bool | None:
        """
        ``True`` to appeal, ``False`` to correct and resubmit, ``None``
        when the dataset gives no appeal guidance for this code.
        """
        editorial = self.editorial
        if editorial is None:
            return None

        return editorial.appeal.is_appealable

    def valid_on(self, day: datetime.date) -> Validity:
        """
        Tell whether the code could be used on *day*.

        A code is valid from its start date until the day before its stop
        date.  Where the lists give no start date, a current code is known
        valid only from the day the list was captured; earlier days are
        ``"unknown"``, as is a deactivated code whose stop date is unknown.
        """
        if self.start and day < self.start:
            return Validity(
                state="not_yet_valid",
                on=day,
                reason=f"{self} starts on {self.start.isoformat()}.",
            )
        if self.stop and day >= self.stop:
            return Validity(
                state="deactivated",
                on=day,
                reason=f"{self} was deactivated on {self.stop.isoformat()}"
                + self._successor_hint(),
            )
        if self.status == "deactivated" and self.stop is None:
            return Validity(
                state="unknown",
                on=day,
                reason=f"{self} is deactivated, but the lists do not say"
                " since when" + self._successor_hint(),
            )
        if self.start or (self.listed_on and day >= self.listed_on):
            return Validity(
                state="valid", on=day, reason=f"{self} is valid on that day."
            )

        return Validity(
            state="unknown",
            on=day,
            reason=f"The lists give no start date for {self}, so denialkit"
            " cannot tell whether it existed on that day.",
        )

    def _successor_hint(self) -> str:
        if not self.replaced_by:
            return "."
        listed = " or ".join(
            f"{c.partition(':')[0].upper()} {c.partition(':')[2]}"
            if ":" in c
            else f"{self.code_set.upper()} {c}"
            for c in self.replaced_by
        )

        return f"; use {listed} instead."

    def __str__(self) -> str:
        return f"{self.code_set.upper()} {self.code}"


@attrs.frozen(kw_only=True)
class LookupResult:
    """
    The answer to a lookup: the record, how the query was read, and which
    release answered.

    Added in 0.1.0.
    """

    query: str
    ref: CodeRef
    record: DenialCode
    release: str
    group: DenialCode | None = None
    validity: Validity | None = None

    @property
    def code(self) -> str:
        """
        The code as found, such as ``"50"``.
        """
        return self.record.code

    @property
    def code_set(self) -> CodeSet:
        """
        The code set the code was found in.
        """
        return self.record.code_set

    @property
    def title(self) -> str:
        """
        Our title for the code, or a statement that none is written yet.
        """
        return self.record.display_title
