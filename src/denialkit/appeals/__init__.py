"""
Appeal letters: composable templates, typed context, safe rendering and
the appeal clock.

>>> import denialkit
>>> from denialkit.appeals import builtin_letter
>>> letter = builtin_letter("CO-50", dataset=denialkit.load("2026.1"))
>>> letter.names[:4]
('letterhead', 'date_line', 'addressee', 're_block')

Rendering needs jinja2, which is imported when this module is.  Deadlines
follow the federal rules cited in each result; a deadline printed on the
denial always wins.
"""

from ._clock import (
    APPEAL_LEVELS,
    PAYER_TYPES,
    AppealLevel,
    Deadline,
    PayerType,
    appeal_deadline,
)
from ._context import (
    AppealContext,
    Attachment,
    Claim,
    ClinicalFacts,
    Denial,
    Guideline,
    Patient,
    Payer,
    Practice,
    Provider,
    ServiceLine,
    context_from_data,
    is_valid_npi,
    load_context,
)
from ._letters import LetterFacts, builtin_letter, standard_sections
from ._render import (
    FORMATS,
    Format,
    LateAppealWarning,
    RenderedLetter,
    placeholder,
    render,
    render_sections,
)
from ._templates import (
    LETTER_KINDS,
    AppealTemplate,
    LetterKind,
    Section,
    load_sections,
)

__all__ = [
    "APPEAL_LEVELS",
    "FORMATS",
    "LETTER_KINDS",
    "PAYER_TYPES",
    "AppealContext",
    "AppealLevel",
    "AppealTemplate",
    "Attachment",
    "Claim",
    "ClinicalFacts",
    "Deadline",
    "Denial",
    "Format",
    "Guideline",
    "LateAppealWarning",
    "LetterFacts",
    "LetterKind",
    "Patient",
    "Payer",
    "PayerType",
    "Practice",
    "Provider",
    "RenderedLetter",
    "Section",
    "ServiceLine",
    "appeal_deadline",
    "builtin_letter",
    "context_from_data",
    "is_valid_npi",
    "load_context",
    "load_sections",
    "placeholder",
    "render",
    "render_sections",
    "standard_sections",
]
