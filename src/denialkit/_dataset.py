"""
Datasets: one frozen release of every code, with lookup, search and diff.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from . import _release
from ._codes import (
    Category,
    CodeRef,
    CodeSet,
    DenialCode,
    LookupResult,
    Origin,
)
from .exceptions import AmbiguousCodeError, UnknownCodeError

if TYPE_CHECKING:
    import datetime

    from ._diff import ReleaseDiff
    from ._editorial import Editorial, Source
    from ._overlay import OverlayReport
    from ._search import SearchHit


def _debug(message: str, *args: object) -> None:
    # Log through logging.getLogger(__name__), but only when the app has
    # imported logging: until then no handler can exist, and importing it
    # here would cost a first lookup several milliseconds.
    if "logging" in sys.modules:
        sys.modules["logging"].getLogger(__name__).debug(message, *args)


class Dataset:
    """
    One dataset release: every code of every code set, read-only.

    Get one with :func:`denialkit.load`.  Records are built on first use
    and kept, so looking up the same code twice returns the same object.

    >>> import denialkit
    >>> dataset = denialkit.load("2026.1")
    >>> dataset.get("carc", "50").code_set
    'carc'

    Added in 0.1.0.
    """

    __slots__ = (
        "_built",
        "_by_code",
        "_editorial",
        "_editorial_overlay",
        "_listed_on",
        "_origins",
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
        self._editorial: dict[str, Any] | None = None
        self._editorial_overlay: dict[str, Editorial] = {}
        self._sources: dict[str, Source] = {}
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
        _debug("Loaded dataset release %s: %d codes.", release, len(rows))

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
        """
        from datetime import date

        return date.fromisoformat(self._built)

    def __repr__(self) -> str:
        return f"<Dataset release={self.release} codes={len(self._rows)}>"

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[DenialCode]:
        if len(self._records) < len(self._rows):
            self._build_all()

        return iter([self._records[key] for key in self._rows])

    def _build_all(self) -> None:
        # Every record at once, in one tight loop: iterating a whole
        # release is the common bulk path (search, filter, diff, export).
        records = self._records
        origin = self._origin
        from_row = DenialCode._from_row
        for key, row in self._rows.items():
            if key not in records:
                records[key] = from_row(row, origin(row[0]))

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
        Every record, or those of one code set, in release order.
        """
        return [
            record
            for record in self
            if code_set is None or record.code_set == code_set
        ]

    def get(self, code_set: CodeSet, code: str) -> DenialCode:
        """
        The record of *code* in *code_set*.

        Raises:
            UnknownCodeError: the code is not in this release.
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
            whole = code.strip().upper()
            if ref.group and whole.isalnum() and whole in self._code_index():
                # "COB1" may be an overlay's own code, not CO + B1: an
                # exact code wins over splitting off a group prefix.
                ref = CodeRef(None, whole)
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
        The records that match every condition given.
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

        >>> import denialkit
        >>> denialkit.load("2026.1").search("CO-197")[0].record.code
        '197'
        """
        from ._search import search

        return search(self, text, limit=limit)

    def diff(self, other: Dataset) -> ReleaseDiff:
        """
        What changed from this release to *other*, field by field.

        Added in 0.1.0.
        """
        from ._diff import diff

        return diff(self, other)

    def with_official_text(self, path: str | os.PathLike[str]) -> Dataset:
        """
        A copy whose records carry X12's official wording, read from your
        own licensed copy of the lists.

        Args:
            path: A folder with ``carc.csv``, ``rarc.csv`` and/or
                ``group_codes.csv`` (columns ``code`` and ``description``),
                or one such CSV.

        Codes found on only one side are listed in the returned dataset's
        ``overlays`` report.

        Raises:
            DataFileError: a file is missing the needed columns.

        Added in 0.1.0.
        """
        from ._overlay import with_official_text

        return with_official_text(self, path)

    def with_overlay(self, path: str | os.PathLike[str]) -> Dataset:
        """
        A copy with an organisation overlay applied: payer-specific codes,
        aliases, keywords or editorial content from a YAML file checked by
        the same schema as the dataset source.

        Raises:
            DataFileError: naming the file, line and field of a problem.

        Added in 0.1.0.
        """
        from ._overlay import with_overlay

        return with_overlay(self, path)

    def _all_sources(self) -> dict[str, Source]:
        if self._editorial is None:
            self._load_editorial("")

        return dict(self._sources)

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

    def _load_editorial(self, key: str) -> Editorial | None:
        if key in self._editorial_overlay:
            return self._editorial_overlay[key]
        if self._editorial is None:
            raw = _release.read_verified(self.release, "editorial")
            self._sources = _release.decode_sources(raw["sources"])
            self._editorial = raw["codes"]
        entry = self._editorial.get(key)
        if entry is None:
            return None

        return _release.decode_editorial(entry, self._sources)

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
        copy._editorial = self._editorial
        copy._sources = self._sources
        copy._editorial_overlay = dict(self._editorial_overlay)
        copy.overlays = (*self.overlays, report)
        for record in records:
            if record.key not in copy._rows:
                copy._rows[record.key] = [record.code_set, record.code]
                copy._by_code = None
            copy._records[record.key] = record

        return copy


__all__ = ["Dataset"]
