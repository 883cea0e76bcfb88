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


def _masked(value: object) -> str:
    return "***"


@attrs.frozen(kw_only=True)
class Source:
    """
    A public page that a statement in the dataset rests on.

    Attributes:
        id: A short id; facts and revisions cite the source by it.
        title: The page's title, with its publisher.
        url: Where the page was read.
        read: The day the page was last read for the dataset.

    >>> import datetime
    >>> source = Source(id="demo-policy", title="An invented plan policy",
    ...                 url="https://example.org/policy",
    ...                 read=datetime.date(2026, 1, 5))
    >>> source.id, source.read.year
    ('demo-policy', 2026)

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

    Attributes:
        statement: The statement, in denialkit's own words.
        source: The page it rests on.
        uncertain: ``True`` where the sources disagree or are secondary.

    >>> import denialkit
    >>> record = denialkit.load("2026.1").get("carc", "50")
    >>> fact = record.editorial.facts[0]
    >>> fact.source.id, fact.uncertain
    ('x12-code-lists', False)

    Added in 0.1.0.
    """

    statement: str
    source: Source
    uncertain: bool = False


@attrs.frozen(kw_only=True)
class AppealGuidance:
    """
    How to fight a denial: appeal it, or correct and resubmit the claim.

    Attributes:
        action: ``"appeal"``, or ``"correct_and_resubmit"`` when the claim
            itself was wrong and a corrected claim is the way forward.
        arguments: The points an appeal should make, strongest first.
        evidence: The documents to enclose.
        letter_argument: The paragraph built-in letters print as their
            argument.

    >>> import denialkit
    >>> dataset = denialkit.load("2026.1")
    >>> dataset.get("carc", "50").editorial.appeal.action
    'appeal'
    >>> dataset.get("carc", "4").editorial.appeal.is_appealable
    False

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

    Attributes:
        carc: Related CARCs, such as ``"197"``.
        rarc: Related RARCs, such as ``"N386"``.
        group: Group codes the denial usually comes under.

    >>> import denialkit
    >>> related = denialkit.load("2026.1").get("carc", "50").editorial.related
    >>> related.group, related.rarc[:2]
    (('CO', 'PR'), ('N115', 'N386'))

    Added in 0.1.0.
    """

    carc: tuple[str, ...] = ()
    rarc: tuple[str, ...] = ()
    group: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Revision:
    """
    One change to a code's guidance, newest last in ``Editorial.revisions``.

    Attributes:
        release: The dataset release that made the change.
        date: The day the change was made.
        change: What changed, in a sentence or two.
        previous: What the guidance said before the change, if recorded.
        reason: Why it changed.
        sources: The pages the change rests on.

    >>> import denialkit
    >>> record = denialkit.load("2026.2").get("specialty", "R2")
    >>> first = record.editorial.revisions[0]
    >>> first.release, first.date
    ('2026.1', datetime.date(2026, 12, 4))

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

    Read it from :attr:`DenialCode.editorial`; it is ``None`` for codes
    that are not denials a provider acts on.

    Attributes:
        explanation: What the code means and what the payer decided.
        common_causes: Why claims usually get the code.
        prevention: A checklist for keeping the next claim clear of it.
        appeal: Whether to appeal or resubmit, and how.
        related: Codes that often come with this one.
        facts: Regulatory and factual statements, each with its source.
        revisions: The history of this guidance, oldest first.

    >>> import denialkit
    >>> guidance = denialkit.load("2026.1").get("carc", "50").editorial
    >>> len(guidance.common_causes) > 0, guidance.appeal.action
    (True, 'appeal')

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

    Specialty codes never appear on an 835 themselves; these mappings are
    how a remittance shows them.  ``str()`` gives the usual short form.

    Attributes:
        group: The group code, such as ``"CO"``.
        carc: The CARC, such as ``"50"``.
        rarc: RARCs that come with it, if any.
        when: When the payer uses this combination.

    >>> str(RemitMapping(group="CO", carc="50", rarc=("N386",)))
    'CO-50 + N386'

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

    :meth:`DenialCode.valid_on` and lookups with ``as_of`` return it.

    Attributes:
        state: ``"valid"``, ``"not_yet_valid"``, ``"deactivated"``, or
            ``"unknown"`` when the lists do not give the dates needed to
            answer; denialkit does not guess them.
        on: The date asked about, usually a date of service; masked in
            ``repr``.
        reason: One sentence saying why, naming any successor code.

    >>> import datetime, denialkit
    >>> day = datetime.date(1990, 1, 2)
    >>> validity = denialkit.lookup("42", as_of=day, release="2026.1").validity
    >>> validity.state, validity.is_valid
    ('not_yet_valid', False)
    >>> "1990" in repr(validity)
    False

    Added in 0.1.0; ``on`` is masked in ``repr`` since 0.2.0.
    """

    state: ValidityState
    # A date of service is patient data, and reprs end up in logs.
    on: datetime.date = attrs.field(repr=_masked)
    reason: str

    @property
    def is_valid(self) -> bool | None:
        """
        ``True`` or ``False``, or ``None`` when the answer is unknown.
        """
        if self.state == "unknown":
            return None

        return self.state == "valid"
