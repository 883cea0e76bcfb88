"""
The standard sections and the built-in letters made from the dataset.

A built-in letter is the standard sections in the order practices expect,
with the code-specific argument taken from the dataset's appeal guidance
and, by the code's category, the extra sections that argument needs
(clinical summary and guideline citation for medical necessity, proof of
timely filing for timely-filing denials, the authorization history for
authorization denials).  Sections print the fields each payer type
requires of an appeal request (42 CFR 405.944(b) for a Medicare
redetermination: the beneficiary's name, Medicare number, the services
and dates, and who is filing), so a letter missing one does not render.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .._codes import CodeRef, DenialCode
from .._dataset import record_guidance
from ..exceptions import TemplateError
from ._clock import PayerType, appeal_deadline
from ._templates import AppealTemplate, LetterKind, Section

if TYPE_CHECKING:
    from .._dataset import Dataset
    from ._context import AppealContext

_IMPACTED_PAYERS = ("medicare_advantage", "medicaid")

_FIRST_LEVEL: dict[str, str] = {
    "medicare_ab": "a redetermination (first-level Medicare appeal)",
    "medicare_advantage": "a reconsideration (first-level plan appeal)",
    "commercial": "an internal appeal",
    "erisa": "an internal appeal under the plan's claims procedure",
}
_REQUEST_PHRASES: dict[LetterKind, str] = {
    "appeal": "a first-level appeal",
    "reconsideration": "a second-level review (for Medicare, a QIC"
    " reconsideration)",
    "peer_to_peer": "a peer-to-peer review",
    "external_review": "an independent external review",
    "corrected_claim": "reprocessing of a corrected claim",
}
_SET_LABELS = {
    "carc": "claim adjustment reason code",
    "rarc": "remittance advice remark code",
    "group": "claim adjustment group code",
    "specialty": "specialty denial code",
}
_LEVELS: dict[LetterKind, str] = {
    "appeal": "first",
    "reconsideration": "second",
    "external_review": "external",
}


@attrs.frozen(kw_only=True)
class LetterFacts:
    """
    The code-specific facts of a built-in letter.

    :func:`builtin_letter` puts them in the template's ``facts``; sections
    read them as ``letter.code_label``, ``letter.argument``,
    ``letter.deadline`` and so on.

    Attributes:
        code_label: The code as the letter prints it, such as ``"CO-50"``,
            ``"CARC 50"`` or ``"R2"``.
        code_set: The code set of the code.
        code: The code itself.
        title: The code's title in the release.
        argument: The paragraph the letter argues with, from the release's
            appeal guidance; empty when there is none.
        evidence: The documents the guidance says to enclose; the
            enclosures list offers them when the context names no
            attachments.
        kind: What the letter asks for.
        release: The dataset release the facts come from.
        category: The code's category.
        status: ``"current"`` or ``"deactivated"``.
        stop: The day a deactivated code stopped, if known.
        replaced_by: Successor codes of a deactivated code.
        other_codes: Labels of the other codes on the same notice.
        record: The code's record; left out of ``repr`` and equality.

    >>> import denialkit
    >>> letter = builtin_letter("CO-50", dataset=denialkit.load("2026.1"))
    >>> letter.facts.code_label, letter.facts.kind, letter.facts.release
    ('CO-50', 'appeal', '2026.1')

    Added in 0.1.0; ``evidence`` since 0.2.0.
    """

    code_label: str
    code_set: str
    code: str
    title: str
    argument: str
    kind: LetterKind
    release: str
    evidence: tuple[str, ...] = ()
    category: str | None = None
    status: str = "current"
    stop: datetime.date | None = None
    replaced_by: tuple[str, ...] = ()
    other_codes: tuple[str, ...] = ()
    record: DenialCode | None = attrs.field(default=None, eq=False, repr=False)

    def data(self, context: AppealContext) -> dict[str, Any]:
        """
        Return the facts as template data for *context*.

        The data adds what depends on the context: the request's wording
        and the filing deadline (by payer type and notice dates), its rule
        and source, and whether the letter date is past it.  It is
        computed once per context; dates are formatted for print.

        Args:
            context: The claim, patient, payer and practice facts.

        Returns:
            A mapping that sections read as ``letter``.

        Raises:
            TemplateError: the letter kind does not exist for the payer
                type.

        >>> import denialkit
        >>> from denialkit.appeals import context_from_data
        >>> letter = builtin_letter("CO-50", dataset=denialkit.load("2026.1"))
        >>> context = context_from_data({
        ...     "practice": {"name": "Demo"}, "claim": {"number": "C-1"},
        ...     "payer": {"name": "Demo Plan", "payer_type": "commercial"},
        ...     "patient": {"name": "Pat Example", "member_id": "X-1"},
        ...     "denial": {"codes": ["CO-50"], "notice_date": "2026-03-02"}})
        >>> letter.facts.data(context)["deadline"]
        'August 29, 2026'
        """
        cache = context._letter_data
        found: dict[str, Any] | None = cache.get(self)
        if found is None:
            found = cache[self] = self._data(context)

        return found

    def _data(self, context: AppealContext) -> dict[str, Any]:
        from ._render import _data, _Node

        values: dict[str, Any] = {
            "code_label": self.code_label,
            "code": self.code,
            "title": self.title,
            "argument": self.argument,
            "evidence": self.evidence,
            "kind": self.kind,
            "request_phrase": (
                _FIRST_LEVEL.get(context.payer.payer_type, "")
                if self.kind == "appeal"
                else ""
            )
            or _REQUEST_PHRASES[self.kind],
            "release": self.release,
            "status": self.status,
            "code_set_label": _SET_LABELS[self.code_set],
            "impacted_payer": context.payer.payer_type in _IMPACTED_PAYERS,
        }
        if self.stop:
            values["stop"] = self.stop
        if self.replaced_by:
            values["replaced_by"] = " or ".join(self.replaced_by)
        if self.other_codes:
            values["other_codes"] = list(self.other_codes)
        if self.record is not None and self.status == "deactivated":
            values["code_state"] = self._code_state(context)
        deadline = self.deadline_for(context)
        if deadline is not None and deadline.date is not None:
            values["deadline"] = deadline.date
            values["deadline_rule"] = deadline.rule
            values["deadline_source"] = deadline.source
            values["is_late"] = context.letter_date > deadline.date

        return _Node(
            "letter",
            {
                key: _data(value, f"letter.{key}")
                for key, value in values.items()
            },
        )

    def _code_state(self, context: AppealContext) -> str:
        assert self.record is not None
        days = [
            line.date_of_service
            for line in context.claim.service_lines
            if line.date_of_service is not None
        ]
        states = {self.record.valid_on(day).state for day in days}
        if states == {"deactivated"}:
            return "deactivated"
        if states and states <= {"valid"}:
            return "valid"

        return "unknown"

    def deadline_for(self, context: AppealContext) -> Any:
        """
        Work out the filing deadline of this letter for *context*.

        The letter's kind sets the appeal level; see
        :func:`appeal_deadline` for the rules.

        Args:
            context: The claim, patient, payer and practice facts; the
                payer type and the denial's dates count.

        Returns:
            The :class:`Deadline`, or ``None`` when the letter kind has
                none (peer-to-peer and corrected-claim letters).

        Raises:
            TemplateError: the letter kind does not exist for the payer
                type (Original Medicare has no external review).

        >>> import denialkit
        >>> from denialkit.appeals import context_from_data
        >>> letter = builtin_letter("CO-50", dataset=denialkit.load("2026.1"))
        >>> context = context_from_data({
        ...     "practice": {"name": "Demo"}, "claim": {"number": "C-1"},
        ...     "payer": {"name": "Demo Plan", "payer_type": "commercial"},
        ...     "patient": {"name": "Pat Example", "member_id": "X-1"},
        ...     "denial": {"codes": ["CO-50"], "notice_date": "2026-03-02"}})
        >>> letter.facts.deadline_for(context).date
        datetime.date(2026, 8, 29)
        """
        level = _LEVELS.get(self.kind)
        if level is None:
            return None
        try:
            return appeal_deadline(
                context.payer.payer_type,
                level,  # type: ignore[arg-type]
                context.denial.notice_date,
                context.denial.received_date,
                printed_deadline=context.denial.printed_deadline,
            )
        except ValueError as exc:
            raise TemplateError("request", str(exc)) from None

    @property
    def deadline(self) -> bool:
        """
        Whether this kind of letter has a filing deadline.
        """
        return self.kind in _LEVELS


def _read_sections() -> dict[str, Section]:
    # The standard sections are files in denialkit/appeals/sections/, so
    # they read as templates and users can copy one to start their own.
    from .._release import read_package_file

    return {
        name: Section(
            name, read_package_file(f"appeals/sections/{name}.j2").decode()
        )
        for name in _SECTION_NAMES
    }


_SECTION_NAMES = (
    "letterhead",
    "date_line",
    "addressee",
    "re_block",
    "opening",
    "argument",
    "clinical_summary",
    "guideline_citation",
    "policy_request",
    "authorization",
    "timely_filing",
    "code_status",
    "correction",
    "peer_to_peer",
    "enclosures",
    "request",
    "closing",
    "signature",
)
SECTIONS: dict[str, Section] = _read_sections()

_HEAD = ("letterhead", "date_line", "addressee", "re_block", "opening")
_TAIL = ("enclosures", "request", "closing", "signature")
_CLINICAL = ("medical_necessity", "benefit_limit", "coverage")


def standard_sections() -> dict[str, Section]:
    """
    Return the library of standard sections, by name.

    Built-in letters are made of these.  Use them to compose your own
    letter, or copy one's ``source`` as a start for your own section.
    Changing the returned dict does not change the library.

    Returns:
        A new dict of the sections, in the order letters use them.

    >>> sections = standard_sections()
    >>> list(sections)[:3], sections["date_line"].fields
    (['letterhead', 'date_line', 'addressee'], ('letter_date',))

    Added in 0.1.0.
    """
    return dict(SECTIONS)


def _middle(record: DenialCode, kind: LetterKind) -> tuple[str, ...]:
    if kind == "corrected_claim":
        return ("correction",)
    if kind == "peer_to_peer":
        return ("peer_to_peer", "argument", "clinical_summary")
    if record.status == "deactivated":
        return ("code_status",)
    if record.code_set == "specialty" and record.family == "R":
        return (
            "argument",
            "clinical_summary",
            "guideline_citation",
            "policy_request",
        )
    if record.category == "timely_filing":
        return ("argument", "timely_filing")
    if record.category == "authorization":
        return ("argument", "authorization", "clinical_summary")
    if record.category in _CLINICAL:
        return ("argument", "clinical_summary")

    return ("argument",)


def builtin_letter(
    code: str | CodeRef | DenialCode,
    *,
    kind: LetterKind | None = None,
    dataset: Dataset | None = None,
    also: Sequence[str | CodeRef] = (),
) -> AppealTemplate:
    """
    The built-in letter for a code, from the dataset's appeal guidance.

    Args:
        code: ``"R2"``, ``"CO-50"``, a :class:`CodeRef` or a record.
        kind: ``"appeal"``, ``"reconsideration"``, ``"peer_to_peer"``,
            ``"external_review"`` or ``"corrected_claim"``.  By default an
            appeal, or a corrected-claim cover letter for codes the dataset
            says to correct and resubmit.
        dataset: The dataset to read guidance from (the newest release
            by default).
        also: Other codes on the same notice (remark codes, say); each is
            looked up and listed in the RE block.

    Returns:
        The letter template, made of the standard sections for the
            code's category, with the code's facts in ``facts``.

    Raises:
        TemplateError: the dataset has no appeal guidance for the code, or
            *kind* asks to appeal a code that must be corrected instead.
        CodeSyntaxError: a code in *code* or *also* is of no accepted
            form.
        UnknownCodeError: a code in *code* or *also* is not in the
            dataset.
        AmbiguousCodeError: a bare code in *code* or *also* exists in
            several code sets.

    >>> import denialkit
    >>> letter = builtin_letter("R2", dataset=denialkit.load("2026.1"))
    >>> letter.kind, "guideline_citation" in letter
    ('appeal', True)

    Added in 0.1.0.
    """
    if dataset is None and not isinstance(code, DenialCode):
        dataset = _newest()
    record, label = _record(code, dataset)
    guidance = _guidance(record, dataset)
    appealable = guidance is not None and guidance[0] == "appeal"
    if kind is None:
        kind = "corrected_claim" if guidance and not appealable else "appeal"
    if guidance is not None and not appealable and kind != "corrected_claim":
        raise TemplateError(
            "argument",
            f"{label} is a correct-and-resubmit denial in release"
            f" {record.release}, so it gets a corrected-claim cover letter"
            " (kind='corrected_claim'), not an appeal.",
        )
    if guidance is None and record.status != "deactivated":
        raise TemplateError(
            "argument",
            f"release {record.release} has no appeal guidance for {label}"
            " (it is not a denial a provider can appeal). Compose your own"
            " letter from standard_sections() in Python, or pass your own"
            " sections with --sections.",
        )

    argument = guidance[1] if guidance else ""
    evidence = guidance[2] if guidance else ()
    names = (*_HEAD, *_middle(record, kind), *_TAIL)
    if kind == "peer_to_peer":
        names = (*_HEAD, *_middle(record, kind), "closing", "signature")
    if not argument:
        names = tuple(name for name in names if name != "argument")
    others = tuple(_other_label(code, dataset or _newest()) for code in also)
    facts = LetterFacts(
        code_label=label,
        code_set=record.code_set,
        code=record.code,
        title=record.display_title,
        argument=argument,
        kind=kind,
        release=record.release,
        evidence=evidence,
        category=record.category,
        status=record.status,
        stop=record.stop,
        replaced_by=record.replaced_by,
        other_codes=others,
        record=record,
    )

    return AppealTemplate(
        name=f"{kind}:{record.key}",
        sections=tuple(SECTIONS[name] for name in names),
        kind=kind,
        facts=facts,
    )


def _newest() -> Dataset:
    from .. import load

    return load()


def _other_label(code: str | CodeRef, dataset: Dataset) -> str:
    result = dataset.lookup(code)

    return _label(result.record, result.ref.group)


def _guidance(
    record: DenialCode, dataset: Dataset | None
) -> tuple[str, str, tuple[str, ...]] | None:
    # (action, letter argument, evidence) of the record's appeal guidance.
    if dataset is not None:
        return dataset._appeal_guidance(record)

    return record_guidance(record)


def _record(
    code: str | CodeRef | DenialCode, dataset: Dataset | None
) -> tuple[DenialCode, str]:
    if isinstance(code, DenialCode):
        return code, _label(code, None)
    assert dataset is not None
    result = dataset.lookup(code)

    return result.record, _label(result.record, result.ref.group)


def _label(record: DenialCode, group: str | None) -> str:
    if record.code_set == "carc":
        return f"{group}-{record.code}" if group else f"CARC {record.code}"
    if record.code_set == "specialty":
        return record.code

    return f"{record.code_set.upper()} {record.code}"


def payer_type_label(payer_type: PayerType) -> str:
    """
    A readable name for a payer type.
    """
    return {
        "medicare_ab": "Medicare Part A/B",
        "medicare_advantage": "Medicare Advantage",
        "medicaid": "Medicaid",
        "commercial": "commercial or ACA plan",
        "erisa": "ERISA self-funded plan",
        "other": "other payer",
    }[payer_type]
