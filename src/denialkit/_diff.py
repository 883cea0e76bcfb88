"""
Compare two dataset releases field by field.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import attrs

from ._codes import FIELDS

if TYPE_CHECKING:
    from ._dataset import Dataset

# The fields compared by Dataset.diff, in the order they are reported:
# every field but the code's identity.
DIFF_FIELDS = FIELDS[2:]


@attrs.frozen(kw_only=True)
class FieldChange:
    """
    One field of one code that differs between two releases.

    Attributes:
        field: The field's name as on :class:`DenialCode`, such as
            ``"title"``; ``"editorial"`` when guidance was added or
            removed, or ``"editorial.<part>"`` (``"editorial.appeal"``)
            when part of it changed.
        old: The value in the older release.
        new: The value in the newer release.

    >>> change = FieldChange(field="title", old="Old words", new="New words")
    >>> f"{change.field}: {change.old!r} -> {change.new!r}"
    "title: 'Old words' -> 'New words'"

    Added in 0.1.0.
    """

    field: str
    old: Any
    new: Any


@attrs.frozen(kw_only=True)
class CodeChange:
    """
    Every changed field of one code between two releases.

    Attributes:
        key: The code's ``code_set:code`` key, such as ``"carc:1"``.
        changes: The changed fields, in the order :meth:`Dataset.diff`
            compares them.

    >>> import denialkit
    >>> diff = denialkit.load("2026.1").diff(denialkit.load("2026.2"))
    >>> change = diff.changed[0]
    >>> change.key, [c.field for c in change.changes]
    ('carc:1', ['keywords'])

    Added in 0.1.0.
    """

    key: str
    changes: tuple[FieldChange, ...]


@attrs.frozen(kw_only=True)
class ReleaseDiff:
    """
    What changed between two dataset releases.

    :meth:`Dataset.diff` returns it.  Each code is named by its
    ``code_set:code`` key.  A code that was deactivated (or reactivated)
    is also in ``changed``, with its new status and dates.

    Attributes:
        old: The older release's id.
        new: The newer release's id.
        added: Codes only in the newer release.
        removed: Codes only in the older release.
        deactivated: Codes current in the older release and deactivated
            in the newer one.
        reactivated: Codes deactivated in the older release and current
            in the newer one.
        changed: Every code in both releases with at least one changed
            field.

    >>> import denialkit
    >>> diff = denialkit.load("2026.1").diff(denialkit.load("2026.2"))
    >>> diff.old, diff.new, diff.added, diff.is_empty
    ('2026.1', '2026.2', (), False)
    >>> len(diff.changed)
    107

    Added in 0.1.0.
    """

    old: str
    new: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    deactivated: tuple[str, ...]
    reactivated: tuple[str, ...]
    changed: tuple[CodeChange, ...]

    @property
    def is_empty(self) -> bool:
        """
        Whether the two releases hold the same data.
        """
        return not (self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        """
        Return the diff as plain JSON-ready data.

        Dates become ISO strings and tuples lists; ``changed`` maps each
        code's key to its changed fields, each with ``old`` and ``new``.

        Returns:
            Nested dicts, lists and strings for :func:`json.dumps`.

        >>> import denialkit
        >>> diff = denialkit.load("2026.1").diff(denialkit.load("2026.2"))
        >>> diff.to_dict()["changed"]["carc:1"]
        {'keywords': {'old': [], 'new': ['deductible']}}
        """
        return {
            "old": self.old,
            "new": self.new,
            "added": list(self.added),
            "removed": list(self.removed),
            "deactivated": list(self.deactivated),
            "reactivated": list(self.reactivated),
            "changed": {
                change.key: {
                    c.field: {"old": _plain(c.old), "new": _plain(c.new)}
                    for c in change.changes
                }
                for change in self.changed
            },
        }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if attrs.has(type(value)):
        return {
            k: _plain(v) for k, v in attrs.asdict(value, recurse=False).items()
        }

    return value


def diff(old: Dataset, new: Dataset) -> ReleaseDiff:
    """
    What changed from *old* to *new*; see :meth:`Dataset.diff`.
    """
    old_keys = {record.key: record for record in old}
    new_keys = {record.key: record for record in new}
    added = [key for key in new_keys if key not in old_keys]
    removed = [key for key in old_keys if key not in new_keys]

    deactivated, reactivated, changed = [], [], []
    for key, before in old_keys.items():
        after = new_keys.get(key)
        if after is None:
            continue
        if before.is_current and not after.is_current:
            deactivated.append(key)
        if not before.is_current and after.is_current:
            reactivated.append(key)
        changes = [
            FieldChange(field=name, old=getattr(before, name), new=value)
            for name in DIFF_FIELDS
            if (value := getattr(after, name)) != getattr(before, name)
        ]
        changes += _editorial_changes(before.editorial, after.editorial)
        if changes:
            changed.append(CodeChange(key=key, changes=tuple(changes)))

    return ReleaseDiff(
        old=old.release,
        new=new.release,
        added=tuple(added),
        removed=tuple(removed),
        deactivated=tuple(deactivated),
        reactivated=tuple(reactivated),
        changed=tuple(changed),
    )


def _editorial_changes(before: Any, after: Any) -> list[Any]:
    if before == after:
        return []
    if before is None or after is None:
        return [FieldChange(field="editorial", old=before, new=after)]
    names = (
        "explanation",
        "common_causes",
        "prevention",
        "appeal",
        "related",
        "facts",
        "revisions",
    )

    return [
        FieldChange(field=f"editorial.{name}", old=old, new=new)
        for name in names
        if (old := getattr(before, name)) != (new := getattr(after, name))
    ]
