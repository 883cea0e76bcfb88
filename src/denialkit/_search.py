"""
Rank dataset records against a free-text query.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from ._codes import CodeRef, DenialCode
from .exceptions import DenialKitError

if TYPE_CHECKING:
    from ._dataset import Dataset

_WORD = re.compile(r"[a-z0-9]+")
_SET_ORDER = {"carc": 0, "group": 1, "rarc": 2, "specialty": 3}


@attrs.frozen(kw_only=True)
class SearchHit:
    """
    One search result with its score (higher is better).

    :meth:`Dataset.search` returns hits best first.  Scores rank the hits
    of one search; they mean nothing across searches.

    Attributes:
        record: The matching record.
        score: How well it matched: an exact code match scores 100, each
            matching word of the title, aliases, keywords, category and
            summary adds a weighted share.  A deactivated code scores
            four fifths of a current one.

    >>> import denialkit
    >>> hit = denialkit.load("2026.1").search("filing deadline")[0]
    >>> hit.record.key, hit.score > 0
    ('carc:29', True)

    Added in 0.1.0.
    """

    record: DenialCode
    score: float


def words(text: str | None) -> list[str]:
    return _WORD.findall(text.lower()) if text else []


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]

    return word


def search(dataset: Dataset, text: str, *, limit: int) -> list[SearchHit]:
    """
    See :meth:`Dataset.search`.
    """
    exact = _exact(dataset, text)
    query = [_stem(w) for w in words(text)]
    phrase = " ".join(words(text))
    hits = []
    for record in dataset:
        score = 100.0 if record.key in exact else 0.0
        if query:
            fields = (
                (4.0, record.title),
                (3.0, " ".join(record.aliases)),
                (3.0, " ".join(record.keywords)),
                (2.0, (record.category or "").replace("_", " ")),
                (1.0, record.summary),
            )
            for weight, value in fields:
                tokens = {_stem(w) for w in words(value)}
                matched = sum(1 for w in query if w in tokens)
                score += weight * matched / len(query)
                if len(query) > 1 and phrase in " ".join(words(value)):
                    score += weight
        if score > 0:
            # A deactivated code is rarely what someone searching means.
            hits.append((score if record.is_current else score * 0.8, record))

    hits.sort(
        key=lambda hit: (
            -hit[0],
            not hit[1].is_current,
            _SET_ORDER[hit[1].code_set],
            len(hit[1].code),
            hit[1].code,
        )
    )

    return [SearchHit(record=r, score=s) for s, r in hits[:limit]]


def _exact(dataset: Dataset, text: str) -> set[str]:
    try:
        ref = CodeRef.parse(text)
    except DenialKitError:
        return set()
    if ref.code_set:
        return {f"{ref.code_set}:{ref.code}"}

    return {
        f"{code_set}:{ref.code}"
        for code_set in ("carc", "rarc", "group", "specialty")
        if f"{code_set}:{ref.code}" in dataset
    }
