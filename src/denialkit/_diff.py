"""
Compare two dataset releases field by field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._dataset import Dataset, ReleaseDiff


def diff(old: Dataset, new: Dataset) -> ReleaseDiff:
    """
    What changed from *old* to *new*; see :meth:`Dataset.diff`.
    """
    from ._dataset import DIFF_FIELDS, CodeChange, FieldChange, ReleaseDiff

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
    from ._dataset import FieldChange

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
