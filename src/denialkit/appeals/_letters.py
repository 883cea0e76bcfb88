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
from typing import TYPE_CHECKING, Any

import attrs

from .._codes import CodeRef, DenialCode
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

    Added in 0.1.0.
    """

    code_label: str
    code_set: str
    code: str
    title: str
    argument: str
    kind: LetterKind
    release: str
    category: str | None = None
    status: str = "current"
    stop: datetime.date | None = None
    replaced_by: tuple[str, ...] = ()

    def data(self, context: AppealContext) -> dict[str, Any]:
        """
        The facts as template data for *context* (the deadline depends on
        the payer type and the notice dates).
        """
        from ._render import _data, _Node

        values: dict[str, Any] = {
            "code_label": self.code_label,
            "code": self.code,
            "title": self.title,
            "argument": self.argument,
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

    def deadline_for(self, context: AppealContext) -> Any:
        """
        The filing deadline of this letter for *context*, or ``None``
        when the letter kind has none.
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
        except ValueError:
            return None

    @property
    def deadline(self) -> bool:
        """
        Whether this kind of letter has a filing deadline.
        """
        return self.kind in _LEVELS


def _s(name: str, source: str) -> Section:
    return Section(name, source.strip("\n") + "\n")


SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        _s(
            "letterhead",
            """
{{ practice.name }}
{% for line in practice.address_lines %}
{{ line }}
{% endfor %}
{% if practice.phone is defined %}Phone: {{ practice.phone }}{% endif %}
{% if practice.fax is defined %}  Fax: {{ practice.fax }}{% endif %}

{% if practice.npi is defined %}NPI: {{ practice.npi }}{% endif %}
""",
        ),
        _s("date_line", "{{ letter_date }}"),
        _s(
            "addressee",
            """
{{ payer.name }}
{% if payer.benefit_manager is defined %}
c/o {{ payer.benefit_manager }}
{% endif %}
Attn: Appeals
{% for line in payer.appeals_address_lines %}
{{ line }}
{% endfor %}
""",
        ),
        _s(
            "re_block",
            """
RE: Request for {{ letter.request_phrase }}
{% if payer.payer_type == "medicare_ab" %}
Beneficiary: {{ patient.name }}
Medicare number: {{ patient.member_id }}
{% else %}
Patient: {{ patient.name }}
Member ID: {{ patient.member_id }}
{% endif %}
{% if patient.date_of_birth is defined %}
Date of birth: {{ patient.date_of_birth }}
{% endif %}
Claim number: {{ claim.number }}
{% if claim.payer_claim_number is defined %}
Payer claim number: {{ claim.payer_claim_number }}
{% endif %}
Denial code: {{ letter.code_label }} ({{ letter.title }})
Notice dated: {{ denial.notice_date }}
{% if payer.payer_type == "medicare_ab" and letter.kind == "reconsideration" %}
Redetermination issued by: {{ denial.decision_contractor }}
{% endif %}
{% if denial.prior_authorization_number is defined %}
Authorization number: {{ denial.prior_authorization_number }}
{% endif %}
Services appealed:
{% for line in claim.service_lines %}
- {{ line.cpt }}{% if line.modifiers is defined %}-{{ line.modifiers|join("-") }}{% endif %} on {{ line.date_of_service }}{% if line.billed is defined %}, billed {{ line.billed }}{% endif %}

{% endfor %}
""",
        ),
        _s(
            "opening",
            """
Dear Appeals Reviewer:

On behalf of {{ practice.name }}{% if provider is defined %} and {{ provider.name }}{% if provider.credentials is defined %}, {{ provider.credentials }}{% endif %}{% endif %}, we request {{ letter.request_phrase }} of the claim above. {{ payer.name }} denied or reduced it with {{ letter.code_label }} ({{ letter.title }}) on the notice dated {{ denial.notice_date }}.{% if denial.stated_reason is defined %} The reason given was: "{{ denial.stated_reason }}".{% endif %}
""",
        ),
        _s("argument", "{{ letter.argument }}"),
        _s(
            "clinical_summary",
            """
Clinical summary:
{{ clinical.summary }}
{% if clinical.symptoms is defined %}
Symptoms: {{ clinical.symptoms|join("; ") }}.
{% endif %}
{% if clinical.red_flags is defined %}
Red-flag findings: {{ clinical.red_flags|join("; ") }}.
{% endif %}
{% if clinical.conservative_treatment is defined %}
Conservative treatment: {{ clinical.conservative_treatment }}{% if clinical.conservative_duration is defined %} ({{ clinical.conservative_duration }}){% endif %}.
{% endif %}
{% if clinical.prior_imaging is defined %}
Prior imaging: {{ clinical.prior_imaging|join("; ") }}.
{% endif %}
""",
        ),
        _s(
            "guideline_citation",
            """
{% set g = clinical.guideline %}
The service follows {{ g.name }}{% if g.topic is defined %}, topic "{{ g.topic }}"{% endif %}{% if g.variant is defined %}, variant "{{ g.variant }}"{% endif %}{% if g.rating is defined %}, where it is rated {{ g.rating }} on the 1-9 appropriateness scale{% endif %}.{% if g.url is defined %} See {{ g.url }}.{% endif %}
""",
        ),
        _s(
            "policy_request",
            """
If the denial rests on a specific criterion of {{ payer.name }}'s imaging policy{% if payer.benefit_manager is defined %} or of {{ payer.benefit_manager }}'s guidelines{% endif %}, please name it and explain how the enclosed records fail it.{% if letter.impacted_payer %} As a payer covered by the CMS Interoperability and Prior Authorization rule (CMS-0057-F), you must give a specific reason for a prior-authorization denial.{% endif %}
""",
        ),
        _s(
            "authorization",
            """
{% if denial.prior_authorization_number is defined %}
Authorization {{ denial.prior_authorization_number }} was on file for these services; a copy is enclosed.
{% else %}
No authorization number is on this claim; the enclosed records explain why the services could not wait for one or why none was required.
{% endif %}
""",
        ),
        _s(
            "timely_filing",
            """
Proof of timely filing: the claim was first submitted on {{ denial.original_submission_date }}, as shown by {{ denial.submission_proof }}.
""",
        ),
        _s(
            "code_status",
            """
{{ letter.code_label }} is a {{ letter.code_set_label }} that X12 deactivated{% if letter.stop is defined %} on {{ letter.stop }}{% endif %}{% if letter.replaced_by is defined %} (use {{ letter.replaced_by }} instead){% endif %}. A deactivated code does not state a valid reason for services on these dates. Please reprocess the claim and, if an adjustment is still due, state it with a current reason code.
""",
        ),
        _s(
            "correction",
            """
Enclosed is a corrected claim that replaces claim {{ claim.number }}. What was corrected: {{ denial.correction }}.
""",
        ),
        _s(
            "peer_to_peer",
            """
{{ provider.name }}{% if provider.credentials is defined %}, {{ provider.credentials }}{% endif %} (NPI {{ provider.npi }}) asks to discuss this decision with the reviewing physician. Please call {{ practice.phone }}{% if practice.contact_name is defined %} and ask for {{ practice.contact_name }}{% endif %} to schedule the review.
""",
        ),
        _s(
            "enclosures",
            """
Enclosures:
1. The denial notice dated {{ denial.notice_date }}
{% for item in attachments %}
{{ loop.index + 1 }}. {{ item.title }}{% if item.description is defined %} ({{ item.description }}){% endif %}

{% endfor %}
""",
        ),
        _s(
            "request",
            """
{% if letter.kind == "corrected_claim" %}
Please process the corrected claim in place of the original.
{% elif letter.kind == "peer_to_peer" %}
Please reply within two business days so the discussion can take place before any appeal deadline.
{% elif letter.kind == "external_review" %}
Please forward this request and the enclosed records to an independent review organization.
{% else %}
Please reverse the denial and reprocess the claim for payment.
{% endif %}
{% if letter.deadline is defined %}
This request is filed on {{ letter_date }}; the filing deadline is {{ letter.deadline }} ({{ letter.deadline_source }}).
{% if letter.is_late %}
This request is late; we ask you to accept it for good cause, explained in the enclosed statement.
{% endif %}
{% endif %}
""",
        ),
        _s(
            "closing",
            """
Thank you for your review. Questions about this request can go to {% if practice.contact_name is defined %}{{ practice.contact_name }} at {% endif %}{{ practice.phone }}.
""",
        ),
        _s(
            "signature",
            """
Sincerely,


{% if signer_name is defined %}
{{ signer_name }}
{% else %}
{{ provider.name }}{% if provider.credentials is defined %}, {{ provider.credentials }}{% endif %}

{% endif %}
{% if signer_title is defined %}
{{ signer_title }}
{% endif %}
{{ practice.name }}
""",
        ),
    )
}

_HEAD = ("letterhead", "date_line", "addressee", "re_block", "opening")
_TAIL = ("enclosures", "request", "closing", "signature")
_CLINICAL = ("medical_necessity", "benefit_limit", "coverage")


def standard_sections() -> dict[str, Section]:
    """
    The library of standard sections, by name.

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

    Raises:
        TemplateError: the dataset has no appeal guidance for the code, or
            *kind* asks to appeal a code that must be corrected instead.

    >>> letter = builtin_letter("R2")
    >>> letter.kind, "guideline_citation" in letter
    ('appeal', True)

    Added in 0.1.0.
    """
    record, label = _record(code, dataset)
    guidance = record.editorial.appeal if record.editorial else None
    if kind is None:
        kind = (
            "corrected_claim"
            if guidance and not guidance.is_appealable
            else "appeal"
        )
    if (
        guidance is not None
        and not guidance.is_appealable
        and kind not in ("corrected_claim",)
    ):
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
            " letter from standard_sections().",
        )

    argument = guidance.letter_argument if guidance else ""
    names = (*_HEAD, *_middle(record, kind), *_TAIL)
    if kind == "peer_to_peer":
        names = (*_HEAD, *_middle(record, kind), "closing", "signature")
    facts = LetterFacts(
        code_label=label,
        code_set=record.code_set,
        code=record.code,
        title=record.display_title,
        argument=argument,
        kind=kind,
        release=record.release,
        category=record.category,
        status=record.status,
        stop=record.stop,
        replaced_by=record.replaced_by,
    )

    return AppealTemplate(
        name=f"{kind}:{record.key}",
        sections=tuple(SECTIONS[name] for name in names),
        kind=kind,
        facts=facts,
    )


def _record(
    code: str | CodeRef | DenialCode, dataset: Dataset | None
) -> tuple[DenialCode, str]:
    if isinstance(code, DenialCode):
        return code, _label(code, None)
    if dataset is None:
        from .. import load

        dataset = load()
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
