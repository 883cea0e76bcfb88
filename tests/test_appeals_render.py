"""
Tests for rendering letters: strictness, drafts, injection, masking and
formats.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import logging
import warnings

import attrs
import pytest

from denialkit import MissingFieldsError, TemplateError
from denialkit.appeals import (
    AppealTemplate,
    LateAppealWarning,
    Section,
    builtin_letter,
    context_from_data,
    load_context,
    render,
)

from .conftest import EXAMPLES

INJECTIONS = [
    "{{ 7*7 }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% raw %}",
    "{% endraw %}{{ 7*7 }}",
    "{{ config.items() }}",
    "{{ self._TemplateReference__context }}",
    "{% for x in range(10**9) %}x{% endfor %}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "${7*7}",
    "<script>alert(1)</script>",
    "\x1eopening\x1e",
    "*bold* _it_ [link](http://example.invalid)",
]


@pytest.fixture
def context():  # type: ignore[no-untyped-def]
    return load_context(EXAMPLES / "r2-claim.yaml")


def test_r2_letter_has_the_structure_practices_expect(context) -> None:  # type: ignore[no-untyped-def]
    """
    The R2 letter has letterhead, date, payer address, RE block, argument,
    numbered enclosures and signature, and no placeholder left.
    """
    text = render(builtin_letter("R2"), context)
    assert isinstance(text, str)

    assert text.startswith("Example Valley Imaging (TEST PRACTICE)")
    assert "November 20, 2026" in text
    assert "PO Box 0000" in text
    assert "Claim number: CLM-TEST-0001" in text
    assert "Member ID (Medicare plan): TEST000001" in text
    assert "Denial code: R2 (" in text
    assert "October 5, 2026" in text
    assert "1. The denial notice dated November 2, 2026" in text
    assert "5. Imaging order with clinical indication" in text
    assert "ACR Appropriateness Criteria" in text
    assert "Sincerely," in text
    assert "[" not in text.replace("[]", "")


def test_every_missing_field_is_reported_together(context) -> None:  # type: ignore[no-untyped-def]
    """
    Missing fields of several sections are listed at once, by section and
    field path, before anything is returned.
    """
    bare = attrs.evolve(
        context,
        clinical=None,
        attachments=(),
        practice=attrs.evolve(context.practice, phone=None),
    )

    with pytest.raises(MissingFieldsError) as info:
        render(builtin_letter("R2"), bare)

    missing = info.value.missing
    assert ("clinical_summary", "clinical.summary") in missing
    assert ("guideline_citation", "clinical.guideline.name") in missing
    assert ("closing", "practice.phone") in missing
    message = str(info.value)
    assert "clinical.summary (section clinical_summary)" in message
    assert "Pat" not in message


def test_draft_mode_shows_placeholders(context) -> None:  # type: ignore[no-untyped-def]
    """
    draft=True renders visible placeholders instead of raising.
    """
    bare = attrs.evolve(context, clinical=None, attachments=())

    text = render(builtin_letter("R2"), bare, draft=True)

    assert "[Clinical Summary]" in text
    assert "[Guideline Name]" in text
    assert "1. The denial notice dated" in text


def test_draft_placeholders_read_as_words_a_biller_uses(context) -> None:  # type: ignore[no-untyped-def]
    """
    Missing service facts, addresses and member ID print as a biller
    would name them, never as field names like "Service Lines Cpt".
    """
    bare = attrs.evolve(
        context,
        practice=attrs.evolve(context.practice, address_lines=()),
        patient=attrs.evolve(context.patient, member_id=""),
        claim=attrs.evolve(context.claim, service_lines=()),
    )

    text = render(builtin_letter("CO-50"), bare, draft=True)

    assert "- [Procedure Code] on [Date of Service]" in text
    assert ": [Member ID]" in text
    assert "[Practice Address]" in text
    assert "Service Lines" not in text
    assert "Address Lines" not in text


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_values_are_data_in_every_field_and_format(
    context, payload: str, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    """
    Template syntax in any value prints as typed (escaped for the format),
    never evaluated.
    """
    poisoned = attrs.evolve(
        context,
        patient=attrs.evolve(context.patient, name=payload),
        claim=attrs.evolve(context.claim, number=payload),
        denial=attrs.evolve(context.denial, stated_reason=payload),
        clinical=attrs.evolve(context.clinical, summary=payload),
    )

    text = render(builtin_letter("R2"), poisoned, format=fmt)  # type: ignore[arg-type]

    assert isinstance(text, str)
    typed = payload.replace("\x1e", "")
    if "7*7" in payload:
        assert "49" not in text
    if fmt == "text":
        assert text.count(typed) >= 4
    if fmt == "html":
        assert text.count(html.escape(typed)) >= 4
        assert "<script>" not in text
    assert "<class" not in text


def test_user_sections_cannot_reach_python_internals(context) -> None:  # type: ignore[no-untyped-def]
    """
    A user-supplied section that reaches for internals is stopped by the
    sandbox with a clear error.
    """
    evil = Section("evil", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    letter = builtin_letter("R2") + evil

    with pytest.raises(TemplateError, match="letters may not do"):
        render(letter, context)


def test_bad_jinja_is_reported_by_section(context) -> None:  # type: ignore[no-untyped-def]
    """
    A section with broken jinja2 names itself in the error.
    """
    broken = builtin_letter("R2").replace(Section("closing", "{% if %}"))

    with pytest.raises(TemplateError, match="'closing'"):
        render(broken, context)


def test_medicare_letters_carry_the_required_fields(context) -> None:  # type: ignore[no-untyped-def]
    """
    A Medicare redetermination names the beneficiary and Medicare number;
    a Medicare reconsideration also needs the contractor that decided.
    """
    medicare = attrs.evolve(
        context, payer=attrs.evolve(context.payer, payer_type="medicare_ab")
    )

    text = render(builtin_letter("R2"), medicare)
    with pytest.raises(MissingFieldsError) as info:
        render(builtin_letter("R2", kind="reconsideration"), medicare)

    assert "Beneficiary: Pat Testpatient" in text
    assert "Medicare number: TEST000001" in text
    assert ("re_block", "denial.decision_contractor") in info.value.missing


def test_medicare_advantage_letters_need_the_enrollee_address(context) -> None:  # type: ignore[no-untyped-def]
    """
    A Medicare Advantage reconsideration names the enrollee and address.
    """
    homeless = attrs.evolve(
        context, patient=attrs.evolve(context.patient, address_lines=())
    )

    with pytest.raises(MissingFieldsError) as info:
        render(builtin_letter("R2"), homeless)

    assert ("re_block", "patient.address_lines") in info.value.missing
    assert "Enrollee: Pat Testpatient" in render(builtin_letter("R2"), context)


def test_letter_kinds(context) -> None:  # type: ignore[no-untyped-def]
    """
    Peer-to-peer and external-review letters render with their own text.
    """
    p2p = render(builtin_letter("R2", kind="peer_to_peer"), context)
    external = render(builtin_letter("R2", kind="external_review"), context)

    assert "asks to discuss this decision" in p2p
    assert "independent review organization" in external


def test_late_letters_warn_loudly(context) -> None:  # type: ignore[no-untyped-def]
    """
    A letter dated after the deadline warns and says it is late.
    """
    late = attrs.evolve(context, letter_date=datetime.date(2027, 6, 1))

    with pytest.warns(LateAppealWarning, match="after the appeal deadline"):
        text = render(builtin_letter("R2"), late)

    assert "filed after that deadline" in text


def test_repr_and_logs_never_show_patient_data(context, caplog) -> None:  # type: ignore[no-untyped-def]
    """
    Patient fields are masked in repr and absent from debug logs.
    """
    caplog.set_level(logging.DEBUG, logger="denialkit")

    render(builtin_letter("CO-50"), context)
    shown = repr(context) + caplog.text

    for secret in (
        "Pat Testpatient",
        "TEST000001",
        "CLM-TEST-0001",
        "1970",
        "radicular",
    ):
        assert secret not in shown


def test_compiled_letters_are_cached(context) -> None:  # type: ignore[no-untyped-def]
    """
    Rendering the same letter twice compiles it once.
    """
    from denialkit.appeals import _render

    letter = builtin_letter("CO-197")
    render(letter, context)
    before = _render._compile.cache_info().hits

    render(letter, context)

    assert _render._compile.cache_info().hits == before + 1


def test_docx_and_pdf_contain_the_letter(context) -> None:  # type: ignore[no-untyped-def]
    """
    DOCX and PDF output read back with the letter's text in them.
    """
    import docx
    import pypdf

    letter = builtin_letter("CO-50")
    docx_bytes = render(letter, context, format="docx")
    pdf_bytes = render(letter, context, format="pdf")
    assert isinstance(docx_bytes, bytes) and isinstance(pdf_bytes, bytes)

    document = docx.Document(io.BytesIO(docx_bytes))
    docx_text = "\n".join(p.text for p in document.paragraphs)
    pdf_text = "".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages
    )
    for text in (docx_text, pdf_text):
        assert "CLM-TEST-0001" in text
        assert "Example Valley Imaging" in text
        assert "CO-50" in text


def test_unknown_format_is_refused(context) -> None:  # type: ignore[no-untyped-def]
    """
    An unknown format raises ValueError naming the formats.
    """
    with pytest.raises(ValueError, match="markdown"):
        render(builtin_letter("R2"), context, format="rtf")  # type: ignore[arg-type]


def test_own_template_renders_with_strict_fields(context) -> None:  # type: ignore[no-untyped-def]
    """
    A template built from scratch renders and reports its own gaps.
    """
    mine = AppealTemplate(
        "mine",
        (Section("hello", "Hello {{ payer.name }} {{ payer.nothing }}"),),
    )

    with pytest.raises(MissingFieldsError) as info:
        render(mine, context)

    assert info.value.missing == (("hello", "payer.nothing"),)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draft = render(mine, context, draft=True)
    # A draft opens with a line saying it is one, then the letter.
    notice, letter = draft.split("\n\n", 1)
    assert notice.startswith("DRAFT, NOT READY TO SEND")
    assert letter.startswith("Hello Demo Health Plan")


def test_context_from_data_rejects_bad_fields() -> None:
    """
    A bad claim field is reported by its path and what is expected.
    """
    import yaml

    data = yaml.safe_load((EXAMPLES / "r2-claim.yaml").read_text())
    data["claim"]["service_lines"].append(
        {"date_of_service": "2026-10-05", "cpt": "MRI"}
    )

    from denialkit import DataFileError

    with pytest.raises(DataFileError) as info:
        context_from_data(data, file="claim.yaml")

    assert info.value.field == "claim.service_lines[1].cpt"
    assert "CPT or HCPCS" in str(info.value)


def test_identifiers_stay_exactly_as_typed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """
    YAML never turns an unquoted member ID, claim number or authorization
    into a number (0012345 is not 5349, 12:30:45 is not 45045).
    """
    text = (EXAMPLES / "r2-claim.yaml").read_text()
    text = text.replace("member_id: TEST000001", "member_id: 0012345")
    text = text.replace(
        "payer_claim_number: ICN-TEST-0001", "payer_claim_number: 1_000_000"
    )
    text = text.replace(
        "prior_authorization_number: PA-TEST-0001",
        "prior_authorization_number: 12:30:45",
    )
    claim = tmp_path / "claim.yaml"
    claim.write_text(text)

    letter = render(builtin_letter("CO-50"), load_context(claim))

    assert "Member ID (Medicare plan): 0012345" in letter
    assert "Payer claim number: 1_000_000" in letter
    assert "Authorization number: 12:30:45" in letter


def test_missing_fields_in_comparisons_and_operations_are_collected(
    context,
) -> None:  # type: ignore[no-untyped-def]
    """
    A missing field used in a comparison, sum, membership test, subscript
    or call is reported with the others, in its own section.
    """
    sections = [Section("first", "{{ missing.first }}")]
    for i, source in enumerate(
        [
            "{% if nothing.here == 'x' %}x{% endif %}",
            "{{ n.m + 1 }}",
            "{{ 'a' in q.r }}",
            "{{ s.t[0] }}",
            "{% if yy.zz > 3 %}y{% endif %}",
            "{{ nope.upper() }}",
        ]
    ):
        sections.append(Section(f"s{i}", source))
    sections.append(Section("last", "{{ missing.last }}"))

    with pytest.raises(MissingFieldsError) as info:
        render(AppealTemplate("t", tuple(sections)), context)

    found = dict(info.value.missing)
    assert set(found) == {"first", "s0", "s1", "s2", "s3", "s4", "s5", "last"}
    assert found["s0"] == "nothing.here"


def test_blank_values_never_print_none(context) -> None:  # type: ignore[no-untyped-def]
    """
    Blank list items are dropped, never printed as "None".
    """
    odd = attrs.evolve(
        context,
        practice=attrs.evolve(
            context.practice, address_lines=("100 Sample St", "")
        ),
        clinical=attrs.evolve(
            context.clinical, symptoms=("", "pain"), prior_imaging=("  ",)
        ),
    )

    text = render(builtin_letter("R2"), odd)

    assert "None" not in text
    assert "Symptoms: pain." in text
    assert "Prior imaging" not in text


def test_deactivated_code_letter_checks_the_dates_of_service(context) -> None:  # type: ignore[no-untyped-def]
    """
    A letter about CARC 42 says it was deactivated before 2026 services,
    and was still valid for 2006 services.
    """
    letter = builtin_letter("CO-42")
    early = attrs.evolve(
        context,
        claim=attrs.evolve(
            context.claim,
            service_lines=(
                attrs.evolve(
                    context.claim.service_lines[0],
                    date_of_service=datetime.date(2006, 1, 5),
                ),
            ),
        ),
    )

    assert "deactivated on June 1, 2007, before these dates" in render(
        letter, context
    )
    assert "was a valid claim adjustment reason code on these dates" in render(
        letter, early
    )


def test_kinds_a_payer_does_not_have_are_refused(context) -> None:  # type: ignore[no-untyped-def]
    """
    Original Medicare has no external review: the letter says so.
    """
    medicare = attrs.evolve(
        context, payer=attrs.evolve(context.payer, payer_type="medicare_ab")
    )

    with pytest.raises(TemplateError, match="no external review"):
        render(builtin_letter("R2", kind="external_review"), medicare)


def test_computed_names_and_rendered_letters_hide_values(context) -> None:  # type: ignore[no-untyped-def]
    """
    A field name computed from a value is never reported, and a rendered
    letter's repr does not show its text.
    """
    from denialkit.appeals import render_sections

    probe = AppealTemplate(
        "t", (Section("s", "{{ {'a': 1}[claim.number] }}"),)
    )
    with pytest.raises(MissingFieldsError) as info:
        render(probe, context)
    rendered = render_sections(builtin_letter("R2"), context)

    assert "CLM-TEST-0001" not in str(info.value)
    assert "Pat Testpatient" not in repr(rendered)
    assert "Pat Testpatient" in rendered.text


def test_runaway_sections_are_stopped(context) -> None:  # type: ignore[no-untyped-def]
    """
    A user section cannot produce megabytes of text.
    """
    for source in (
        "{{ 'x' * 100000000 }}",
        "{{ lipsum(n=100000) }}",
        "{% for i in range(99999) %}{{ 'y' * 9 }}{% endfor %}",
    ):
        with pytest.raises((TemplateError, MissingFieldsError)):
            render(builtin_letter("R2") + Section("big", source), context)


def test_precompiled_letters_are_current_and_used(context) -> None:  # type: ignore[no-untyped-def]
    """
    The shipped precompiled letters match what the installed jinja2
    generates for the current sections, and a built-in letter uses them.
    """
    import subprocess
    import sys

    import jinja2

    from denialkit.appeals import _render

    from .conftest import ROOT

    index = json.loads(
        (ROOT / "src/denialkit/appeals/letters.json").read_text()
    )
    if index["jinja2"] != jinja2.__version__:
        pytest.skip(f"precompiled for jinja2 {index['jinja2']}")
    check = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_letters.py"), "--check"],
        capture_output=True,
        text=True,
    )
    letter = builtin_letter("CO-50")
    sources = tuple((s.name, s.source) for s in letter.sections)

    assert check.returncode == 0, check.stdout
    assert (
        _render._precompiled(
            _render._strict_env, _render.joined_source(sources)
        )
        is not None
    )
    assert render(letter, context) == render(
        AppealTemplate(
            "fresh",
            (*letter.sections, Section("extra", "")),
            facts=letter.facts,
        ),
        context,
    )


def test_drafts_do_not_loosen_later_strict_letters(context) -> None:  # type: ignore[no-untyped-def]
    """
    Rendering a draft of a built-in letter first leaves the strict
    rendering of the same letter strict.
    """
    bare = attrs.evolve(context, clinical=None)
    letter = builtin_letter("R2")

    render(letter, bare, draft=True)

    with pytest.raises(MissingFieldsError):
        render(letter, bare)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "docx", "pdf"])
@pytest.mark.parametrize(
    ("code", "claim"),
    [
        ("R2", "r2-claim.yaml"),
        ("CO-50", "r2-claim.yaml"),
        ("CO-197", "r2-claim.yaml"),
        ("CARD02", "r2-claim.yaml"),
        ("CO-42", "r2-claim.yaml"),
        ("CO-29", "timely-filing-claim.yaml"),
    ],
)
def test_letters_render_in_every_format_from_the_examples(
    code: str, claim: str, fmt: str
) -> None:
    """
    The issue's letters (R2, CO-50, CO-197, CO-29, CARD02 and a
    deactivated code) render in every format from the example claims.
    """
    output = render(
        builtin_letter(code), load_context(EXAMPLES / claim), format=fmt
    )  # type: ignore[arg-type]

    if isinstance(output, bytes):
        assert len(output) > 1000
    else:
        assert code.split("-")[-1] in output
        assert (
            "[" not in output.replace("\\[", "").replace("[]", "")
            or fmt == "markdown"
        )


def test_timely_filing_letter_points_at_the_proof() -> None:
    """
    A CO-29 letter cites the original submission date and its proof.
    """
    text = render(
        builtin_letter("CO-29"),
        load_context(EXAMPLES / "timely-filing-claim.yaml"),
    )

    assert "first submitted on May 6, 2026" in text
    assert "277CA" in text


def test_pdf_prints_typographic_punctuation_plainly(context) -> None:  # type: ignore[no-untyped-def]
    """
    Dashes and curly quotes print as their plain forms in the PDF, with
    no lost characters and no warning.
    """
    import pypdf

    named = attrs.evolve(
        context,
        patient=attrs.evolve(
            context.patient, name="Dana O\u2019Test \u2013 Sample"
        ),
    )

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pdf = render(builtin_letter("CO-50"), named, format="pdf")
    assert isinstance(pdf, bytes)
    text = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )

    assert "Dana O'Test - Sample" in text


def test_enclosures_offer_the_guidance_evidence_without_attachments(
    context,  # type: ignore[no-untyped-def]
) -> None:
    """
    A built-in letter argues from enclosed documents, so a finished one
    needs its attachments; a draft without them lists the documents the
    code's guidance says to send, marked as still to enclose.
    """
    import denialkit

    dataset = denialkit.load("2026.2")
    evidence = dataset.lookup("CO-97").record.editorial.appeal.evidence
    bare = attrs.evolve(
        context,
        denial=attrs.evolve(context.denial, codes=("CO-97",)),
        attachments=(),
    )
    letter = builtin_letter("CO-97", dataset=dataset)

    with pytest.raises(MissingFieldsError) as info:
        render(letter, bare)
    draft = render(letter, bare, draft=True)

    assert info.value.missing == (("enclosures", "attachments"),)
    enclosures = draft.split("Enclosures:\n", 1)[1].split("\n\n", 1)[0]
    assert enclosures.splitlines() == [
        "1. The denial notice dated November 2, 2026",
        *(f"{n}. [To enclose: {item}]" for n, item in enumerate(evidence, 2)),
    ]
    assert len(evidence) >= 3
    # With attachments, those are the enclosures and nothing is offered.
    given = render(builtin_letter("R2", dataset=dataset), context, draft=True)
    assert "[To enclose:" not in given


def test_own_template_with_the_standard_enclosures_needs_no_letter_facts(
    context,  # type: ignore[no-untyped-def]
) -> None:
    """
    The standard enclosures section works in a template without built-in
    letter facts: it lists the attachments, or just the notice.
    """
    from denialkit.appeals import standard_sections

    enclosures = standard_sections()["enclosures"]
    mine = AppealTemplate("mine", (enclosures,))

    assert "Office notes" in render(mine, context)
    alone = render(mine, attrs.evolve(context, attachments=()))
    assert alone.strip().splitlines() == [
        "Enclosures:",
        "1. The denial notice dated November 2, 2026",
    ]


@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_a_draft_says_so_once_in_every_format(
    context,  # type: ignore[no-untyped-def]
    format: str,
) -> None:
    """
    The draft notice is the letter's first block, printed once.
    """
    partial = attrs.evolve(context, clinical=None)

    text = render(builtin_letter("R2"), partial, format=format, draft=True)

    assert text.count("NOT READY TO SEND") == 1
    body = text.split("<body>", 1)[-1].lstrip()
    assert body.startswith(
        {
            "text": "DRAFT, NOT READY",
            "markdown": "> **DRAFT, NOT READY",
            "html": '<div class="draft-banner">DRAFT, NOT READY',
        }[format]
    )


def test_a_service_line_without_a_date_is_a_missing_field(
    context,  # type: ignore[no-untyped-def]
) -> None:
    """
    A service whose day is not known is reported missing in a finished
    letter and printed as a placeholder in a draft, never as "None".
    """
    from denialkit.appeals import ServiceLine

    undated = attrs.evolve(
        context,
        claim=attrs.evolve(
            context.claim,
            service_lines=(ServiceLine(cpt="72148"),),
        ),
    )

    with pytest.raises(MissingFieldsError) as info:
        render(builtin_letter("R2"), undated)
    draft = render(builtin_letter("R2"), undated, draft=True)

    assert info.value.missing == (
        ("re_block", "claim.service_lines[0].date_of_service"),
    )
    assert "- 72148 on [Date of Service]" in draft
    assert "None" not in draft
