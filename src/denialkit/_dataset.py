"""
Datasets: one frozen release of every code, with lookup, search and diff.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from . import _release
from ._codes import (
    CODE_SETS,
    Category,
    CodeRef,
    CodeSet,
    DenialCode,
    LookupResult,
    Origin,
)
from ._logging import debug
from .exceptions import AmbiguousCodeError, UnknownCodeError

if TYPE_CHECKING:
    import datetime

    from ._diff import ReleaseDiff
    from ._editorial import Editorial, Source
    from ._overlay import OverlayReport
    from ._search import SearchHit


class Dataset:
    """
    One dataset release: every code of every code set, read-only.

    Get one with :func:`denialkit.load`; the constructor is denialkit's
    own.  Records are built on first use and kept, so looking up the same
    code twice returns the same object.  A dataset iterates over its
    records in release order, ``len()`` counts them, and ``"carc:50" in
    dataset`` tests for a ``code_set:code`` key.  Overlays never change a
    dataset: they return a new one.

    Attributes:
        release (str): The release id, such as ``"2026.1"``.
        built: The day the release was built.
        source_lists (dict[str, Any]): For each code set, where its codes
            come from: the ``list`` name, the day it was ``captured``, the
            day of the older list the dates come from (``dates_as_of``,
            where used) and a ``note`` on what the list does not give.
        overlays: One report per overlay or official wording applied, in
            order; each names its source and how many codes it changed.
            Empty for a release as shipped.

    >>> import denialkit
    >>> dataset = denialkit.load("2026.1")
    >>> dataset.get("carc", "50").code_set
    'carc'
    >>> dataset.source_lists["carc"]["captured"], dataset.overlays
    ('2026-08-17', ())

    Added in 0.1.0.
    """

    __slots__ = (
        "_built",
        "_by_code",
        "_complete",
        "_editorial",
        "_listed_on",
        "_origins",
        "_raw_sources",
        "_records",
        "_rows",
        "_sources",
        "overlays",
        "release",
        "source_lists",
    )

    def __init__(
        self,
        release: str,
        *,
        rows: dict[str, list[Any]],
        built: str,
        source_lists: dict[str, Any],
    ) -> None:
        self.release = release
        self._built = built
        self.source_lists = source_lists
        self._rows = rows
        self._records: dict[str, DenialCode] = {}
        self._complete = False
        self._editorial: dict[str, Any] | None = None
        self._sources: dict[str, Source] = {}
        self._raw_sources: dict[str, Any] = {}
        self.overlays: tuple[OverlayReport, ...] = ()
        self._origins: dict[str, Any] = {}
        self._listed_on = {
            code_set: info.get("captured")
            for code_set, info in source_lists.items()
        }
        # Built on the first bare-code lookup ("50", "B2"), which needs to
        # know every code set a code appears in.
        self._by_code: dict[str, list[str]] | None = None

    @classmethod
    def _from_release(cls, release: str) -> Dataset:
        info = _release.release_info(release)
        raw = _release.read_verified(release, "codes")
        rows = raw["codes"]
        if isinstance(rows, list):
            # Format 1 (release 2026.1) lists rows; later formats key them.
            rows = {f"{row[0]}:{row[1]}": row for row in rows}
        debug(
            __name__,
            "Loaded dataset release %s: %d codes.",
            release,
            len(rows),
        )

        return cls(
            release,
            rows=rows,
            built=info["built"],
            source_lists=info.get("sources", {}),
        )

    @property
    def built(self) -> datetime.date:
        """
        The day the release was built.

        >>> import denialkit
        >>> denialkit.load("2026.1").built
        datetime.date(2026, 12, 4)
        """
        from datetime import date

        return date.fromisoformat(self._built)

    def __repr__(self) -> str:
        return f"<Dataset release={self.release} codes={len(self._rows)}>"

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[DenialCode]:
        if not self._complete:
            self._build_all()

        return iter(self._records.values())

    def _build_all(self) -> None:
        # Every record at once, in one comprehension and in release order:
        # iterating a whole release is the common bulk path (search,
        # filter, diff, export).  Records made earlier are kept.
        records = self._records
        origins = {code_set: self._origin(code_set) for code_set in CODE_SETS}
        from_row = DenialCode._from_row
        self._records = {
            key: records.get(key) or from_row(row, origins[row[0]])
            for key, row in self._rows.items()
        }
        self._complete = True

    def _origin(self, code_set: str) -> Origin:
        found = self._origins.get(code_set)
        if found is None:
            info = self.source_lists.get(code_set, {})
            found = (
                self.release,
                info.get("captured"),
                self._load_editorial,
                None,
                info.get("dates_as_of"),
            )
            self._origins[code_set] = found

        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._rows

    def codes(self, code_set: CodeSet | None = None) -> list[DenialCode]:
        """
        List every record, or those of one code set, in release order.

        Args:
            code_set: Only records of this code set; ``None`` for all.

        Returns:
            The records, in release order.

        >>> import denialkit
        >>> [r.code for r in denialkit.load("2026.1").codes("group")]
        ['CO', 'CR', 'OA', 'PI', 'PR']
        """
        return [
            record
            for record in self
            if code_set is None or record.code_set == code_set
        ]

    def get(self, code_set: CodeSet, code: str) -> DenialCode:
        """
        Get the record of one code by its code set and exact code.

        Unlike :meth:`lookup`, *code* is not parsed: give it as the
        release holds it (``"50"``, not ``"CO-50"`` or ``"050"``).

        Args:
            code_set: The code set, such as ``"carc"``.
            code: The code, such as ``"50"``.

        Returns:
            The record.

        Raises:
            UnknownCodeError: the code is not in this release; close codes
                of the same code set are suggested.

        >>> import denialkit
        >>> denialkit.load("2026.1").get("rarc", "N386").remark_type
        'supplemental'
        """
        key = f"{code_set}:{code}"
        if key not in self._rows:
            raise UnknownCodeError(
                code,
                code_set=code_set,
                release=self.release,
                suggestions=self._suggest(code, code_set),
            )

        return self._record(key)

    def lookup(
        self, code: str | CodeRef, *, as_of: datetime.date | None = None
    ) -> LookupResult:
        """
        Find a code as people write it and payers send it.

        Args:
            code: ``"CO-50"``, ``"50"``, ``"N386"``, ``"R2"``,
                ``"carc:B2"`` … (see :meth:`CodeRef.parse`), or a parsed
                :class:`CodeRef`.
            as_of: A date of service; the result's ``validity`` then says
                whether the code could be used that day.

        Returns:
            The record found, how *code* was read, and this release.

        Raises:
            CodeSyntaxError: the string is of no accepted form.
            AmbiguousCodeError: a bare code exists in several code sets.
            UnknownCodeError: no such code; close codes are suggested.

        >>> import denialkit
        >>> result = denialkit.load("2026.1").lookup("CO-50")
        >>> (result.code_set, result.code, result.ref.group, result.release)
        ('carc', '50', 'CO', '2026.1')
        """
        if isinstance(code, CodeRef):
            ref, query = code, str(code)
        else:
            ref, query = CodeRef.parse(code), code
            if ref.group:
                ref = self._unsplit(ref, code)
        key = self._resolve(ref)
        record = self._record(key)
        group = self._record(f"group:{ref.group}") if ref.group else None
        resolved = CodeRef(record.code_set, record.code, ref.group)

        return LookupResult(
            query=query,
            ref=resolved,
            record=record,
            release=self.release,
            group=group,
            validity=record.valid_on(as_of) if as_of else None,
        )

    def filter(
        self,
        *,
        code_set: CodeSet | None = None,
        category: Category | None = None,
        status: str | None = None,
        adjustment: str | None = None,
        appealable: bool | None = None,
    ) -> list[DenialCode]:
        """
        List the records that match every condition given.

        A condition left at ``None`` does not filter.

        Args:
            code_set: Only records of this code set.
            category: Only records of this category.
            status: ``"current"`` or ``"deactivated"``.
            adjustment: CARCs only: ``"denial"``, ``"patient_share"``,
                ``"contractual"`` or ``"informational"``.
            appealable: ``True`` for codes the guidance says to appeal,
                ``False`` for codes to correct and resubmit.  Codes
                without guidance match neither.

        Returns:
            The matching records, in release order.

        >>> import denialkit
        >>> dataset = denialkit.load("2026.1")
        >>> found = dataset.filter(code_set="carc", category="timely_filing")
        >>> [r.code for r in found]
        ['29', '166', 'B4']
        """
        found = []
        for record in self:
            if code_set and record.code_set != code_set:
                continue
            if category and record.category != category:
                continue
            if status and record.status != status:
                continue
            if adjustment and record.adjustment != adjustment:
                continue
            if appealable is not None and record.is_appealable != appealable:
                continue
            found.append(record)

        return found

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """
        Rank records by how well they match *text*.

        Matches on the code itself, then on words of the title, aliases,
        keywords, category and summary.  Current codes rank before
        deactivated ones, CARCs before RARCs, at equal scores.

        Args:
            text: A code (``"CO-197"``) or words (``"timely filing"``).
            limit: The most hits to return.

        Returns:
            The hits, best first; empty when nothing matches.

        >>> import denialkit
        >>> denialkit.load("2026.1").search("CO-197")[0].record.code
        '197'
        """
        from ._search import search

        return search(self, text, limit=limit)

    def diff(self, other: Dataset) -> ReleaseDiff:
        """
        Compare this release with *other*, field by field.

        Diff before moving a pinned release forward: the result lists the
        codes added, removed, deactivated and reactivated, and every
        changed field, including the editorial guidance.

        Args:
            other: The release to compare with, usually a newer one.

        Returns:
            What changed from this release to *other*.

        >>> import denialkit
        >>> old, new = denialkit.load("2026.1"), denialkit.load("2026.2")
        >>> change = old.diff(new).changed[0]
        >>> change.key, change.changes[0].field, change.changes[0].new
        ('carc:1', 'keywords', ('deductible',))

        Added in 0.1.0.
        """
        from ._diff import diff

        return diff(self, other)

    def with_official_text(self, path: str | os.PathLike[str]) -> Dataset:
        """
        Return a copy whose records carry X12's official wording, read from
        your own licensed copy of the lists.

        denialkit does not ship that wording.  Codes found on only one
        side are listed in the returned dataset's ``overlays`` report.

        Args:
            path: A folder with ``carc.csv``, ``rarc.csv`` and/or
                ``group_codes.csv`` (columns ``code`` and ``description``),
                or one CSV file named after its code set (``carc*.csv``).
                In a folder, a name may add a separator and a date or
                version after the code set (``carc-2026-11.csv``,
                ``rarc_2026.csv``, but not ``carcinoma-notes.csv``); a
                folder may hold only one such file per code set, and the
                plain name wins over it.  Files are read as UTF-8.

        Returns:
            A new dataset whose records have ``official_text`` set.

        Raises:
            DataFileError: the path does not exist, a folder has no list
                or two files for one code set, a file or folder cannot be
                read, a file is not UTF-8 CSV, or a file is missing the
                needed columns.

        >>> import os, tempfile, denialkit
        >>> with tempfile.NamedTemporaryFile(
        ...     "w", prefix="carc", suffix=".csv", delete=False
        ... ) as f:
        ...     print("code,description", file=f)
        ...     print("50,Invented wording for this example.", file=f)
        >>> copy = denialkit.load("2026.1").with_official_text(f.name)
        >>> copy.get("carc", "50").official_text
        'Invented wording for this example.'
        >>> os.remove(f.name)

        Added in 0.1.0.  Changed in 0.2.0: a folder may hold a list under
        a dated name such as ``carc-2026-11.csv``.
        """
        from ._overlay import with_official_text

        return with_official_text(self, path)

    def with_overlay(self, path: str | os.PathLike[str]) -> Dataset:
        """
        Return a copy with an organisation overlay applied.

        An overlay is a YAML file that adds payer-specific codes, or
        aliases, keywords or editorial content to existing ones; it is
        checked by the same schema as the dataset source.  Aliases and
        keywords are added to a code's own; other fields replace them.

        Args:
            path: The overlay file.

        Returns:
            A new dataset with the overlay applied; its ``overlays`` ends
                with a report of the change.

        Raises:
            DataFileError: naming the file, line and field of every
                problem in the overlay, in file order (its ``problems``).

        >>> import os, tempfile, denialkit
        >>> with tempfile.NamedTemporaryFile(
        ...     "w", suffix=".yaml", delete=False
        ... ) as f:
        ...     print("{name: Demo office, codes: [{code_set: specialty,"
        ...           " code: ZZ9, status: current, title: Invented}]}",
        ...           file=f)
        >>> custom = denialkit.load("2026.1").with_overlay(f.name)
        >>> custom.lookup("ZZ9").title
        'Invented'
        >>> os.remove(f.name)

        Added in 0.1.0.  Changed in 0.2.0: every problem in the file is
        reported at once, and a current code may not keep a stop date that
        had passed when the release's list was captured.
        """
        from ._overlay import with_overlay

        return with_overlay(self, path)

    def _all_sources(self) -> dict[str, Source]:
        self._raw_editorial()
        if not self._sources:
            self._sources = _release.decode_sources(self._raw_sources)

        return dict(self._sources)

    def _unsplit(self, ref: CodeRef, text: str) -> CodeRef:
        # "COB1" may be an overlay's own code, not CO + B1: an exact code
        # wins over splitting off a group prefix.  Checked against the rows
        # directly, so "CO-50" never builds the bare-code index.
        whole = text.strip().upper()
        if whole.isalnum() and any(
            f"{code_set}:{whole}" in self._rows for code_set in CODE_SETS
        ):
            return CodeRef(None, whole)

        return ref

    def _code_index(self) -> dict[str, list[str]]:
        if self._by_code is None:
            by_code: dict[str, list[str]] = {}
            for key in self._rows:
                by_code.setdefault(key.partition(":")[2], []).append(key)
            self._by_code = by_code

        return self._by_code

    def _resolve(self, ref: CodeRef) -> str:
        if ref.code_set:
            key = f"{ref.code_set}:{ref.code}"
            if key in self._rows:
                return key
            suggestions = self._suggest(ref.code, ref.code_set)
            elsewhere = [
                k for k in self._code_index().get(ref.code, []) if k != key
            ]
            raise UnknownCodeError(
                ref.code,
                code_set=ref.code_set,
                release=self.release,
                suggestions=elsewhere + suggestions,
            )
        keys = self._code_index().get(ref.code, [])
        if len(keys) == 1:
            return keys[0]
        if keys:
            raise AmbiguousCodeError(
                ref.code, candidates=keys, release=self.release
            )

        raise UnknownCodeError(
            ref.code,
            code_set=None,
            release=self.release,
            suggestions=self._suggest(ref.code, None),
        )

    def _suggest(self, code: str, code_set: str | None) -> list[str]:
        import difflib

        pool = [
            key.partition(":")[2] if code_set else key
            for key in self._rows
            if code_set is None or key.startswith(f"{code_set}:")
        ]
        target = code if code_set else code.upper()
        if code_set is None:
            pool_codes = {key.partition(":")[2]: key for key in pool}
            close = difflib.get_close_matches(target, pool_codes, n=4)
            return [pool_codes[c] for c in close]

        return difflib.get_close_matches(target, pool, n=4, cutoff=0.6)

    def _record(self, key: str) -> DenialCode:
        record = self._records.get(key)
        if record is None:
            row = self._rows[key]
            record = DenialCode._from_row(row, self._origin(row[0]))
            self._records[key] = record

        return record

    def _raw_editorial(self) -> dict[str, Any]:
        if self._editorial is None:
            raw = _release.read_verified(self.release, "editorial")
            self._raw_sources = raw["sources"]
            self._editorial = raw["codes"]

        return self._editorial

    def _load_editorial(self, key: str) -> Editorial | None:
        entry = self._raw_editorial().get(key)
        if entry is None:
            return None
        if not self._sources:
            self._sources = _release.decode_sources(self._raw_sources)

        return _release.decode_editorial(entry, self._sources)

    def _appeal_guidance(
        self, record: DenialCode
    ) -> tuple[str, str, tuple[str, ...]] | None:
        """
        ``(action, letter argument, evidence)`` of *record*'s guidance:
        what a letter needs, read from the release data without building
        the editorial records when *record* comes straight from this
        release.
        """
        if record._origin is not self._origins.get(record.code_set):
            return record_guidance(record)
        entry = self._raw_editorial().get(record.key)
        if entry is None:
            return None
        raw = entry["appeal"]

        return raw["action"], raw["letter_argument"], tuple(raw["evidence"])

    def _replace(
        self, records: Iterable[DenialCode], *, report: OverlayReport
    ) -> Dataset:
        """
        A copy of this dataset with *records* added or replacing others.
        """
        copy = Dataset(
            self.release,
            rows=dict(self._rows),
            built=self._built,
            source_lists=self.source_lists,
        )
        copy._records = dict(self._records)
        copy._complete = self._complete
        copy._editorial = self._editorial
        copy._sources = self._sources
        copy._raw_sources = self._raw_sources
        copy.overlays = (*self.overlays, report)
        for record in records:
            if record.key not in copy._rows:
                copy._rows[record.key] = [record.code_set, record.code]
                copy._by_code = None
            copy._records[record.key] = record

        return copy


__all__ = ["Dataset"]


def record_guidance(
    record: DenialCode,
) -> tuple[str, str, tuple[str, ...]] | None:
    """
    ``(action, letter argument, evidence)`` of *record*'s own editorial
    guidance, ``None`` when it has none.
    """
    editorial = record.editorial
    if editorial is None:
        return None
    appeal = editorial.appeal

    return appeal.action, appeal.letter_argument, appeal.evidence
