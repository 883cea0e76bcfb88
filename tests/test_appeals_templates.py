"""
Tests for denialkit.appeals._templates: immutable composition.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from denialkit import TemplateError
from denialkit.appeals import (
    AppealTemplate,
    Section,
    builtin_letter,
    load_sections,
)

names = st.lists(
    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True),
    min_size=1,
    max_size=8,
    unique=True,
)


def _template(section_names: list[str]) -> AppealTemplate:
    return AppealTemplate(
        "t", tuple(Section(n, f"{{{{ {n} }}}}") for n in section_names)
    )


@given(names, names)
def test_joining_keeps_order(left: list[str], right: list[str]) -> None:
    """
    a + b lists a's sections then b's, and neither input changes.
    """
    right = [n for n in right if n not in left] or ["zz_end"]
    a, b = _template(left), _template(right)
    before = (a.names, b.names)

    joined = a + b

    assert joined.names == tuple(left) + tuple(right)
    assert (a.names, b.names) == before


@given(names)
def test_without_then_insert_round_trips(section_names: list[str]) -> None:
    """
    Removing a section and inserting it back where it was gives an equal
    template (equality is by value).
    """
    template = _template(section_names)
    first = template.sections[0]
    rest = template.without(first.name)

    if rest.sections:
        back = rest.insert(first, before=rest.sections[0].name)
        assert back == template
        assert hash(back) == hash(template)


def test_replace_insert_without_and_iteration() -> None:
    """
    Each operation returns a new template; the original is unchanged.
    """
    template = _template(["a", "b", "c"])

    replaced = template.replace(Section("b", "new"))
    inserted = template.insert(Section("x", "x"), after="a")

    assert replaced["b"].source == "new"
    assert template["b"].source == "{{ b }}"
    assert inserted.names == ("a", "x", "b", "c")
    assert [s.name for s in template] == ["a", "b", "c"]
    assert template.without("a", "c").names == ("b",)


def test_errors_name_the_section() -> None:
    """
    Unknown names, duplicates and bad names raise clear errors.
    """
    template = _template(["a", "b"])

    with pytest.raises(KeyError, match="no section 'zz'"):
        template.without("zz")
    with pytest.raises(TemplateError, match="appears twice"):
        template + Section("a", "again")
    with pytest.raises(TemplateError, match="section name"):
        Section("Bad Name", "x")
    with pytest.raises(ValueError, match="exactly one"):
        template.insert(Section("c", "c"))
    assert template.__add__(42) is NotImplemented


def test_fields_are_discoverable_before_rendering() -> None:
    """
    A section lists the field paths it reads, including loop fields.
    """
    section = Section(
        "s",
        "{{ patient.name }} {% for line in claim.service_lines %}"
        "{{ line.cpt }}{% endfor %}"
        "{% if clinical.guideline is defined %}"
        "{{ clinical.guideline.topic }}{% endif %}",
    )

    assert section.fields == (
        "patient.name",
        "claim.service_lines",
        "claim.service_lines[].cpt",
        "clinical.guideline",
        "clinical.guideline.topic",
    )


def test_builtin_letters_are_specific_to_their_code() -> None:
    """
    R2, CO-50, CO-197 and CARD02 each get their own argument and sections.
    """
    letters = {
        code: builtin_letter(code)
        for code in ("R2", "CO-50", "CO-197", "CARD02", "CO-29")
    }
    arguments = {
        code: letter.facts.argument for code, letter in letters.items()
    }  # type: ignore[union-attr]

    assert len(set(arguments.values())) == len(arguments)
    assert "guideline_citation" in letters["R2"]
    assert "authorization" in letters["CO-197"]
    assert "timely_filing" in letters["CO-29"]
    assert letters["CO-50"].facts.code_label == "CO-50"  # type: ignore[union-attr]


def test_correct_and_resubmit_codes_get_a_corrected_claim_letter() -> None:
    """
    A code the dataset says to correct gets a corrected-claim cover letter,
    and asking for an appeal of it is refused with the reason.
    """
    letter = builtin_letter("CO-16")

    assert letter.kind == "corrected_claim"
    assert "correction" in letter
    with pytest.raises(TemplateError, match="corrected-claim"):
        builtin_letter("CO-16", kind="appeal")


def test_codes_without_guidance_have_no_builtin_letter() -> None:
    """
    Patient cost sharing has no appeal guidance, so no built-in letter.
    """
    with pytest.raises(TemplateError, match="no appeal guidance"):
        builtin_letter("PR-1")


def test_sections_load_from_a_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """
    Every .j2 file in a folder becomes a section named after the file,
    and override() swaps built-in sections of the same name.
    """
    (tmp_path / "closing.j2").write_text("Thanks, {{ practice.name }}.")
    (tmp_path / "notes.md").write_text("ignored")

    sections = load_sections(tmp_path)
    letter = builtin_letter("R2").override(sections)

    assert [s.name for s in sections] == ["closing"]
    assert letter["closing"].source == "Thanks, {{ practice.name }}."
