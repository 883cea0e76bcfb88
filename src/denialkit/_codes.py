"""
The core records: code references, denial codes and their editorial layer.

Everything here is frozen and slotted.  Nothing here knows about letters,
remittances or the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

import attrs

from .exceptions import CodeSyntaxError

if TYPE_CHECKING:
    import datetime

    from ._editorial import (
        Editorial,
        RemitMapping,
        Validity,
    )

_LAZY = frozenset(
    {
        "AppealGuidance",
        "Editorial",
        "Fact",
        "Related",
        "RemitMapping",
        "Revision",
        "Source",
        "Validity",
    }
)


def __getattr__(name: str) -> Any:
    # The editorial classes load on first use; see denialkit._editorial.
    if name in _LAZY:
        from . import _editorial

        return getattr(_editorial, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CodeSet = Literal["carc", "rarc", "group", "specialty"]
"""
The name of a code set: ``"carc"``, ``"rarc"``, ``"group"`` or
``"specialty"``.

CARCs (claim adjustment reason codes) say why a claim line was paid
differently than billed; RARCs (remittance advice remark codes) add detail;
group codes say who bears an adjustment.  Specialty codes are labels
outside X12 that never appear on a remittance; each maps to the CARC and
RARC combinations that carry it.

>>> import denialkit
>>> denialkit.lookup("N386", release="2026.1").code_set
'rarc'

Added in 0.1.0.
"""

GroupCode = Literal["CO", "PR", "OA", "PI", "CR"]
"""
A claim adjustment group code: who bears an adjustment.

``"CO"`` (contractual obligation, the provider writes it off), ``"PR"``
(patient responsibility), ``"OA"`` (other adjustments), ``"PI"`` (payer
initiated reductions) or ``"CR"`` (corrections and reversals).  It is the
prefix in ``"CO-50"``.

>>> import denialkit
>>> denialkit.lookup("PR-1", release="2026.1").ref.group
'PR'

Added in 0.1.0.
"""

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
"""
The kind of denial or remark a code is, such as ``"timely_filing"``.

Every record of a release has one; :data:`CATEGORIES` lists them all in
order, and :meth:`Dataset.filter` selects records by category.

>>> import denialkit
>>> denialkit.lookup("CO-197", release="2026.1").record.category
'authorization'

Added in 0.1.0.
"""

Adjustment = Literal["denial", "patient_share", "contractual", "informational"]
RemarkType = Literal["supplemental", "alert"]
AppealAction = Literal["appeal", "correct_and_resubmit"]
ValidityState = Literal["valid", "not_yet_valid", "deactivated", "unknown"]

CODE_SETS: Final[tuple[CodeSet, ...]] = get_args(CodeSet)
"""
Every :data:`CodeSet` name, in the order denialkit lists code sets.

>>> import denialkit
>>> denialkit.CODE_SETS
('carc', 'rarc', 'group', 'specialty')

Added in 0.1.0.
"""

GROUP_CODES: Final[tuple[GroupCode, ...]] = get_args(GroupCode)
"""
Every claim adjustment :data:`GroupCode`.

>>> import denialkit
>>> denialkit.GROUP_CODES
('CO', 'PR', 'OA', 'PI', 'CR')

Added in 0.1.0.
"""

CATEGORIES: Final[tuple[Category, ...]] = get_args(Category)
"""
Every :data:`Category` a record can have, in a fixed order.

>>> import denialkit
>>> denialkit.CATEGORIES[:3]
('medical_necessity', 'authorization', 'eligibility')
>>> "timely_filing" in denialkit.CATEGORIES
True

Added in 0.1.0.
"""

_GROUP_SET: Final = frozenset(GROUP_CODES)
_CODE_SET_NAMES: Final = frozenset(CODE_SETS)


@attrs.frozen
class CodeRef:
    """
    A code as people type it or payers send it, before it is looked up.

    Build one with :meth:`parse`.  ``code_set`` is ``None`` for a bare
    code such as ``"B2"`` whose set only a dataset can tell.  A group
    prefix (``"CO-50"``) is kept in ``group`` and makes the code a CARC.
    Parsing checks the form only; whether the code exists is for
    :meth:`Dataset.lookup` to say.

    Attributes:
        code_set: The code set, or ``None`` when the text does not tell.
        code: The code in upper case, leading zeros of a numeric code
            removed (``"050"`` is ``"50"``).
        group: The group code prefix, such as ``"CO"``, if one was given.

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
        Read one code reference from text.

        Args:
            text: ``"50"``, ``"CO-50"``, ``"co 50"``, ``"CO50"``,
                ``"N386"``, ``"MA130"``, ``"R2"``, ``"carc:B2"``,
                ``"specialty:B2"`` and the like; case and surrounding
                spaces do not matter.

        Returns:
            The reference, with the code set when the form tells it.

        Raises:
            CodeSyntaxError: *text* matches none of the accepted forms.
            TypeError: *text* is not a string.

        >>> CodeRef.parse("MA 130")
        CodeRef(code_set='rarc', code='MA130', group=None)
        """
        # Plain string steps rather than regular expressions: this runs for
        # every new query string, and compiling patterns costs import time.
        if not isinstance(text, str):
            raise TypeError(
                f"a code is text such as '50' or 'CO-50', not"
                f" {type(text).__name__}"
            )
        stripped = text.strip()
        if not stripped.isascii():
            raise CodeSyntaxError(text)
        code_set, colon, rest = stripped.partition(":")
        if colon:
            code_set = code_set.rstrip().lower()
            code = _normal(rest.strip())
            if code_set not in _CODE_SET_NAMES or not _is_code(code):
                raise CodeSyntaxError(text)
            return cls(code_set, code)

        upper = stripped.upper()
        if upper[:2] in _GROUP_SET and len(upper) > 2:
            code = _normal(upper[2:].lstrip(" \t-"))
            if not _is_code(code):
                raise CodeSyntaxError(text)
            return cls("carc", code, upper[:2])  # type: ignore[arg-type]

        code = _normal(_joined(upper))
        if not _is_code(code):
            raise CodeSyntaxError(text)
        if code in _GROUP_SET:
            return cls("group", code)
        if _is_rarc(code):
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


def _joined(text: str) -> str:
    # "N 386", "N-386" and "MA 130" are N386 and MA130: letters, one
    # space or hyphen, digits.  Anything else keeps its separators (and
    # fails the code check).
    for separator in (" ", "-"):
        head, found, tail = text.partition(separator)
        if found and head.isalpha() and tail.strip().isdigit():
            return head + tail.strip()

    return text


def _is_code(code: str) -> bool:
    return code.isascii() and code.isalnum()


def _is_rarc(code: str) -> bool:
    if code[:2] == "MA":
        return code[2:].isdigit()

    return code[:1] in ("M", "N") and code[1:].isdigit()


def _normal(code: str) -> str:
    code = code.upper()
    # Payers sometimes zero-pad numeric CARCs ("050").  Only all-digit
    # codes are trimmed: "PT01" and "PT1" are different specialty codes.
    return code.lstrip("0") or "0" if code.isdigit() else code


# The order of a record's values, as in each row of a release file.
FIELDS: Final = (
    "code_set",
    "code",
    "status",
    "start",
    "last_modified",
    "stop",
    "replaced_by",
    "title",
    "summary",
    "category",
    "adjustment",
    "remark_type",
    "family",
    "maps_to",
    "aliases",
    "keywords",
    "note",
    "source_url",
    "official_text",
)
_DATES: Final = frozenset({"start", "last_modified", "stop"})
_LISTS: Final = frozenset({"replaced_by", "aliases", "keywords"})


def _no_editorial() -> None:
    return None


def _iso(value: datetime.date | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value

    return value.isoformat()


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    from datetime import date

    return date.fromisoformat(value)


@attrs.frozen(init=False, repr=False, eq=False)
class DenialCode:
    """
    One code from one code set, as of one dataset release.

    Records come from a :class:`Dataset`; building one by hand is for
    tests and overlays.  ``title`` and ``summary`` are denialkit's own
    words; they are ``None`` only in early releases for codes whose summary
    was not yet written (``has_summary`` tells).  The official X12 wording
    is not shipped: it is ``official_text`` only when loaded from your own
    copy of the lists (see :meth:`Dataset.with_official_text`).

    A record keeps its values in one compact row and reads each field on
    access, so a whole release loads quickly; records compare equal when
    their values and release are equal.  Each field is a read-only
    property, documented below.

    Args:
        code_set: The code set, such as ``"carc"``.
        code: The code itself, such as ``"50"``.
        release: The dataset release the record belongs to.
        status: ``"current"`` or ``"deactivated"``.
        start: The first day the code could be used, if known.
        last_modified: When X12 last changed the code, if known.
        stop: The first day the code could no longer be used, if known.
        replaced_by: Successor codes; ``"carc:256"`` names one in another
            code set.
        title: A short plain-language title.
        summary: A one- or two-sentence plain-language summary.
        category: The kind of denial or remark.
        adjustment: CARCs only: whether it is a denial, a patient share,
            a contractual write-off or informational.
        remark_type: RARCs only: ``"supplemental"`` or ``"alert"``.
        family: Specialty codes only: the family prefix, such as ``"R"``.
        maps_to: Specialty codes only: the CARC/RARC combinations that
            carry the code, as :class:`RemitMapping` objects or mappings.
        aliases: Other names people use for the code.
        keywords: Search words for the code.
        note: A caveat about the code's dates, status or successor.
        source_url: Specialty codes: where the code was published.
        official_text: X12's wording, from your own licensed copy.
        listed_on: The day the code list was captured; :meth:`valid_on`
            uses it when the lists give no start or stop date.
        dates_as_of: The day of the older list the dates come from.
        editorial_loader: A function returning the code's
            :class:`Editorial` guidance, called on first use.

    >>> code = DenialCode(code_set="carc", code="999", release="test",
    ...                   status="current", title="An invented code")
    >>> code.key, code.title, code.is_current
    ('carc:999', 'An invented code', True)

    Added in 0.1.0.
    """

    # The field values in FIELDS order, then 1 if the code has editorial
    # guidance; a release row is used as it is.
    _values: Sequence[Any]
    # What records of one release and code set share: (release, day the
    # list was captured, editorial loader taking the key, official text,
    # day of the older list the dates come from).
    _origin: Origin

    def __init__(
        self,
        *,
        code_set: CodeSet,
        code: str,
        release: str,
        status: Status,
        start: datetime.date | None = None,
        last_modified: datetime.date | None = None,
        stop: datetime.date | None = None,
        replaced_by: Iterable[str] = (),
        title: str | None = None,
        summary: str | None = None,
        category: Category | None = None,
        adjustment: Adjustment | None = None,
        remark_type: RemarkType | None = None,
        family: str | None = None,
        maps_to: Iterable[RemitMapping | Mapping[str, Any]] = (),
        aliases: Iterable[str] = (),
        keywords: Iterable[str] = (),
        note: str | None = None,
        source_url: str | None = None,
        official_text: str | None = None,
        listed_on: datetime.date | None = None,
        dates_as_of: datetime.date | None = None,
        editorial_loader: Callable[[], Editorial | None] | None = None,
    ) -> None:
        values = (
            code_set,
            code,
            status,
            _iso(start),
            _iso(last_modified),
            _iso(stop),
            tuple(replaced_by),
            title,
            summary,
            category,
            adjustment,
            remark_type,
            family,
            tuple(_mapping_dict(m) for m in maps_to),
            tuple(aliases),
            tuple(keywords),
            note,
            source_url,
            1 if editorial_loader else 0,
        )
        loader = editorial_loader or _no_editorial
        self.__attrs_init__(
            values,
            (
                release,
                _iso(listed_on),
                lambda _key: loader(),
                official_text,
                _iso(dates_as_of),
            ),
        )

    @classmethod
    def _from_row(
        cls,
        row: list[Any],
        origin: Origin,
    ) -> DenialCode:
        # The fast path for release files: the row itself and the origin
        # shared by its code set, two slots.
        record = object.__new__(cls)
        _set(record, "_values", row)
        _set(record, "_origin", origin)

        return record

    def replace(self, **changes: Any) -> DenialCode:
        """
        Return a copy with some fields changed; overlays use it.

        The copy keeps the release, the list dates and the editorial
        guidance unless *changes* names them; the record itself is not
        changed.

        Args:
            **changes: New values by field name, as the constructor takes
                them (``title=``, ``status=``, ``aliases=``…).

        Returns:
            A new record.

        Raises:
            TypeError: a name is not a field of the constructor.

        >>> code = DenialCode(code_set="carc", code="999", release="t",
        ...                   status="current")
        >>> code.replace(title="Renamed").title
        'Renamed'
        """
        fields = {name: getattr(self, name) for name in FIELDS}
        fields["listed_on"] = self.listed_on
        fields["dates_as_of"] = _date(self._origin[4])
        fields["editorial_loader"] = lambda: self.editorial
        fields["release"] = self.release
        fields.update(changes)

        return DenialCode(**fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DenialCode):
            return NotImplemented

        if self.release != other.release:
            return False

        return all(getattr(self, f) == getattr(other, f) for f in FIELDS)

    def __hash__(self) -> int:
        return hash((self._values[0], self._values[1], self.release))

    def __repr__(self) -> str:
        return (
            f"DenialCode(code_set={self.code_set!r}, code={self.code!r},"
            f" release={self.release!r}, status={self.status!r},"
            f" title={self.title!r})"
        )

    @property
    def release(self) -> str:
        """
        The dataset release this record belongs to.
        """
        return self._origin[0]

    @property
    def code_set(self) -> CodeSet:
        """
        ``"carc"``, ``"rarc"``, ``"group"`` or ``"specialty"``.
        """
        value: CodeSet = self._values[0]
        return value

    @property
    def code(self) -> str:
        """
        The code itself, such as ``"50"`` or ``"N386"``.
        """
        value: str = self._values[1]
        return value

    @property
    def status(self) -> Status:
        """
        ``"current"`` or ``"deactivated"`` in this release.
        """
        value: Status = self._values[2]
        return value

    @property
    def start(self) -> datetime.date | None:
        """
        The first day the code could be used, when the lists give it.
        """
        return _date(self._values[3])

    @property
    def last_modified(self) -> datetime.date | None:
        """
        When X12 last changed the code, when known (``None`` = unknown).
        """
        return _date(self._values[4])

    @property
    def stop(self) -> datetime.date | None:
        """
        The first day the code could no longer be used, when known.
        """
        return _date(self._values[5])

    @property
    def replaced_by(self) -> tuple[str, ...]:
        """
        Successor codes; ``"carc:256"`` names one in another code set.
        """
        return tuple(self._values[6])

    @property
    def title(self) -> str | None:
        """
        Our short title, in our own words.
        """
        value: str | None = self._values[7]
        return value

    @property
    def summary(self) -> str | None:
        """
        Our one- or two-sentence summary, in our own words.
        """
        value: str | None = self._values[8]
        return value

    @property
    def category(self) -> Category | None:
        """
        The kind of denial or remark, such as ``"timely_filing"``.
        """
        value: Category | None = self._values[9]
        return value

    @property
    def adjustment(self) -> Adjustment | None:
        """
        CARCs only: ``"denial"``, ``"patient_share"``, ``"contractual"``
        or ``"informational"`` — whether it is a denial to fight.
        """
        value: Adjustment | None = self._values[10]
        return value

    @property
    def remark_type(self) -> RemarkType | None:
        """
        RARCs only: ``"supplemental"`` or ``"alert"``.
        """
        value: RemarkType | None = self._values[11]
        return value

    @property
    def family(self) -> str | None:
        """
        Specialty codes only: the family prefix, such as ``"R"``.
        """
        value: str | None = self._values[12]
        return value

    @property
    def maps_to(self) -> tuple[RemitMapping, ...]:
        """
        Specialty codes only: the CARC/RARC combinations that carry it.
        """
        if not self._values[13]:
            return ()
        from ._editorial import RemitMapping

        return tuple(
            RemitMapping(
                group=m["group"],
                carc=m["carc"],
                rarc=tuple(m.get("rarc", ())),
                when=m.get("when", ""),
            )
            for m in self._values[13]
        )

    @property
    def aliases(self) -> tuple[str, ...]:
        """
        Other names people use for the code.
        """
        return tuple(self._values[14])

    @property
    def keywords(self) -> tuple[str, ...]:
        """
        Search words for the code.
        """
        return tuple(self._values[15])

    @property
    def note(self) -> str | None:
        """
        A caveat about the code's dates, status or successor.
        """
        value: str | None = self._values[16]
        return value

    @property
    def source_url(self) -> str | None:
        """
        Specialty codes: where the code was published.
        """
        value: str | None = self._values[17]
        return value

    @property
    def official_text(self) -> str | None:
        """
        X12's wording, only when loaded from your own licensed copy.
        """
        return self._origin[3]

    @property
    def listed_on(self) -> datetime.date | None:
        """
        The day the code list this record comes from was captured.
        """
        return _date(self._origin[1])

    @cached_property
    def editorial(self) -> Editorial | None:
        """
        Our guidance for this code, or ``None`` when it has none.

        Loaded from the release on first use.
        """
        if not self._values[18]:
            return None

        return self._origin[2](self.key)

    @property
    def key(self) -> str:
        """
        ``"code_set:code"``, unique within a release.
        """
        return f"{self._values[0]}:{self._values[1]}"

    @property
    def is_current(self) -> bool:
        """
        Whether the code is still active in this release.
        """
        return bool(self._values[2] == "current")

    @property
    def has_summary(self) -> bool:
        """
        Whether this release has our title and summary for the code.
        """
        return self._values[8] is not None

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
        date.  Where the lists leave a date out, denialkit answers only
        what they show: a current code without a start date is known valid
        from the day its list was captured; a deactivated code without a
        stop date was still current in the older list the dates come from
        (2016-03-07) and is known deactivated from the day the newer list
        was captured.  Everything between is ``"unknown"``.

        Args:
            day: The date of service to check; a ``datetime`` counts as
                its date.

        Returns:
            The state (``"valid"``, ``"not_yet_valid"``,
                ``"deactivated"`` or ``"unknown"``) and a sentence saying why.

        >>> import datetime, denialkit
        >>> code = denialkit.load("2026.1").get("carc", "42")
        >>> code.valid_on(datetime.date(2006, 1, 2)).state
        'valid'
        >>> print(code.valid_on(datetime.date(2020, 1, 2)).reason)
        CARC 42 was deactivated on 2007-06-01; use CARC 45 instead.
        """
        from datetime import datetime as _datetime

        from ._editorial import Validity

        if isinstance(day, _datetime):
            day = day.date()
        start, stop, listed_on = self.start, self.stop, self.listed_on
        dates_as_of = _date(self._origin[4])
        state: ValidityState = "unknown"
        reason = ""
        if start and day < start:
            state, reason = "not_yet_valid", f"{self} starts on {start}."
        elif stop and day >= stop:
            state = "deactivated"
            reason = (
                f"{self} was deactivated on {stop}{self._successor_hint()}"
            )
        elif self.status == "current" and (
            start or (listed_on and day >= listed_on)
        ):
            state, reason = "valid", f"{self} is valid on that day."
        elif self.status == "current":
            reason = (
                f"The lists give no start date for {self}, so denialkit"
                " cannot tell whether it existed on that day."
            )
        elif stop:
            state, reason = "valid", f"{self} is valid on that day."
        elif listed_on and day >= listed_on:
            state = "deactivated"
            reason = (
                f"{self} is deactivated in the list of {listed_on}; the lists"
                f" do not give its stop date{self._successor_hint()}"
            )
        elif start and dates_as_of and day < dates_as_of:
            state = "valid"
            reason = (
                f"{self} was still current in the list of {dates_as_of}"
                " (it was deactivated later, on a date the lists do not give)."
            )
        else:
            reason = (
                f"{self} is deactivated, but the lists do not say since"
                f" when{self._successor_hint()}"
            )

        return Validity(state=state, on=day, reason=reason)

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


_set = object.__setattr__

# (release, list captured, editorial loader, official text, dates as of)
Origin = tuple[
    str,
    "str | None",
    "Callable[[str], Editorial | None]",
    "str | None",
    "str | None",
]


def _mapping_dict(
    mapping: RemitMapping | Mapping[str, Any],
) -> Mapping[str, Any]:
    if isinstance(mapping, Mapping):
        return mapping

    return {
        "group": mapping.group,
        "carc": mapping.carc,
        "rarc": list(mapping.rarc),
        "when": mapping.when,
    }


@attrs.frozen(kw_only=True)
class LookupResult:
    """
    The answer to a lookup: the record, how the query was read, and which
    release answered.

    :func:`denialkit.lookup` and :meth:`Dataset.lookup` return it.

    Attributes:
        query: The text as given, or the :class:`CodeRef` as text.
        ref: The query as resolved: the code set found and any group
            prefix, such as ``CO-50``.
        record: The code's record in the release.
        release: The dataset release that answered.
        group: The record of the group code prefix, if the query had one.
        validity: Whether the code could be used on the ``as_of`` date,
            or ``None`` when no date was given.

    >>> import denialkit
    >>> result = denialkit.lookup("co50", release="2026.1")
    >>> result.query, str(result.ref), result.record.key
    ('co50', 'CO-50', 'carc:50')
    >>> result.group.code
    'CO'

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
