"""
denialkit: healthcare claim denial codes in plain words.

Look up any X12 CARC, RARC or group code, or a specialty code such as
``R2``, and get our own plain explanation, its status and dates, and for
denials the causes, prevention checklist and appeal guidance, stamped with
the dataset release that answered::

    >>> import denialkit
    >>> result = denialkit.lookup("CO-50", release="2026.1")
    >>> result.code_set, result.code, result.release
    ('carc', '50', '2026.1')

Appeal letters live in :mod:`denialkit.appeals` and the X12 835 reader in
:mod:`denialkit.remit`; importing this package loads neither.
"""

from __future__ import annotations

import functools
import typing
from typing import Any, Final

from . import _release
from ._codes import (
    CATEGORIES,
    CODE_SETS,
    GROUP_CODES,
    Category,
    CodeRef,
    CodeSet,
    DenialCode,
    GroupCode,
    LookupResult,
)
from ._dataset import Dataset
from ._version import LATEST_RELEASE, __version__
from .exceptions import (
    AmbiguousCodeError,
    CodeSyntaxError,
    DataFileError,
    DenialKitError,
    MissingFieldsError,
    ReleaseIntegrityError,
    RemittanceError,
    TemplateError,
    UnknownCodeError,
    UnknownReleaseError,
)

__all__ = [
    "CATEGORIES",
    "CODE_SETS",
    "GROUP_CODES",
    "LATEST_RELEASE",
    "AmbiguousCodeError",
    "AppealGuidance",
    "Category",
    "CodeChange",
    "CodeRef",
    "CodeSet",
    "CodeSyntaxError",
    "DataFileError",
    "Dataset",
    "DenialCode",
    "DenialKitError",
    "Editorial",
    "Fact",
    "FieldChange",
    "GroupCode",
    "LookupResult",
    "MissingFieldsError",
    "Related",
    "ReleaseDiff",
    "ReleaseIntegrityError",
    "RemitMapping",
    "RemittanceError",
    "Revision",
    "SearchHit",
    "Source",
    "TemplateError",
    "UnknownCodeError",
    "UnknownReleaseError",
    "Validity",
    "__version__",
    "load",
    "lookup",
    "releases",
]

if typing.TYPE_CHECKING:
    import datetime

    from ._diff import CodeChange, FieldChange, ReleaseDiff
    from ._editorial import (
        AppealGuidance,
        Editorial,
        Fact,
        Related,
        RemitMapping,
        Revision,
        Source,
        Validity,
    )
    from ._search import SearchHit

# Classes that a plain lookup never needs load on first use: building
# an attrs class costs compile time, and a cold start is the budget.
_LAZY: Final = {
    "AppealGuidance": "_editorial",
    "Editorial": "_editorial",
    "Fact": "_editorial",
    "Related": "_editorial",
    "RemitMapping": "_editorial",
    "Revision": "_editorial",
    "Source": "_editorial",
    "Validity": "_editorial",
    "CodeChange": "_diff",
    "FieldChange": "_diff",
    "ReleaseDiff": "_diff",
    "SearchHit": "_search",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'denialkit' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)


_datasets: dict[str, Dataset] = {}

_F = typing.TypeVar("_F", bound=typing.Callable[..., Any])


def _remember(func: _F) -> _F:
    # Answers are frozen and releases never change, so a repeated query
    # (the common case when reading remittances) is answered from a
    # C-level cache without running Python code at all.
    return typing.cast(_F, functools.lru_cache(maxsize=8192)(func))


def load(release: str | None = None) -> Dataset:
    """
    Load a dataset release, the newest when *release* is ``None``.

    Each release is read and checked against its sha256 once per process;
    later calls return the same :class:`Dataset` object.  Pin a release in
    code that must give the same answers next year.

    Args:
        release: A release id such as ``"2026.1"``; :func:`releases` lists
            the installed ones.  ``None`` means :data:`LATEST_RELEASE`.

    Returns:
        The dataset release, read-only.

    Raises:
        UnknownReleaseError: no such release is installed.
        ReleaseIntegrityError: the installed release files were altered.

    >>> dataset = load("2026.1")
    >>> dataset.release, dataset is load("2026.1")
    ('2026.1', True)

    Added in 0.1.0.
    """
    release = release or LATEST_RELEASE
    dataset = _datasets.get(release)
    if dataset is None:
        dataset = Dataset._from_release(release)
        _datasets[release] = dataset

    return dataset


def releases() -> list[str]:
    """
    List every dataset release this installation ships, oldest first.

    The last one is :data:`LATEST_RELEASE`, which :func:`load` and
    :func:`lookup` use when no release is given.

    Returns:
        Release ids such as ``"2026.1"``, oldest first.

    >>> releases()[0]
    '2026.1'
    >>> releases()[-1] == LATEST_RELEASE
    True

    Added in 0.1.0.
    """
    return _release.release_ids()


@_remember
def lookup(
    code: str,
    *,
    as_of: datetime.date | None = None,
    release: str | None = None,
) -> LookupResult:
    """
    Look up one code in a dataset release (the newest by default).

    A shortcut for ``load(release).lookup(code, as_of=as_of)``; see
    :meth:`Dataset.lookup`.  Answers are cached (the 8,192 most recent
    queries), so repeating a query costs about as much as a dict lookup.

    Args:
        code: The code as people write it or payers send it: ``"CO-50"``,
            ``"co 50"``, ``"50"``, ``"N386"``, ``"R2"``, ``"carc:B2"``…
        as_of: A date of service; ``result.validity`` then tells whether
            the code could be used on it.
        release: A release id to pin; see :func:`releases`.  ``None``
            means :data:`LATEST_RELEASE`.

    Returns:
        The record found, how *code* was read, and the release that
            answered.

    Raises:
        CodeSyntaxError: *code* is of no accepted form.
        AmbiguousCodeError: a bare code exists in several code sets.
        UnknownCodeError: no such code; close codes are suggested.
        UnknownReleaseError: no such release is installed.

    >>> import datetime
    >>> day = datetime.date(2020, 1, 1)
    >>> result = lookup("42", as_of=day, release="2026.1")
    >>> result.code_set, result.record.status, result.validity.state
    ('carc', 'deactivated', 'deactivated')

    Added in 0.1.0.
    """
    return load(release).lookup(code, as_of=as_of)
