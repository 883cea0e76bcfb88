"""
The editorial layer and other records that most lookups never need.

They live apart from :mod:`denialkit._codes` so that importing denialkit
does not build these classes (each attrs class costs compile time at
import); they load the first time guidance, a date check or a mapping is
read.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ._codes import AppealAction, ValidityState


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
