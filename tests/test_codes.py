"""
Tests for denialkit._codes: code references and records.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from denialkit import CodeRef, CodeSyntaxError, DenialCode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CO-50", CodeRef("carc", "50", "CO")),
        ("co 50", CodeRef("carc", "50", "CO")),
        ("CO50", CodeRef("carc", "50", "CO")),
        (" pr-1 ", CodeRef("carc", "1", "PR")),
        ("OA23", CodeRef("carc", "23", "OA")),
        ("PI-104", CodeRef("carc", "104", "PI")),
        ("CR 18", CodeRef("carc", "18", "CR")),
        ("50", CodeRef(None, "50")),
        ("050", CodeRef(None, "50")),
        ("N386", CodeRef("rarc", "N386")),
        ("ma130", CodeRef("rarc", "MA130")),
        ("M15", CodeRef("rarc", "M15")),
        ("R2", CodeRef(None, "R2")),
        ("carc:B2", CodeRef("carc", "B2")),
        ("specialty:B2", CodeRef("specialty", "B2")),
        ("SPECIALTY : pt01", CodeRef("specialty", "PT01")),
        ("CO", CodeRef("group", "CO")),
        ("group:PR", CodeRef("group", "PR")),
        ("CARD02", CodeRef(None, "CARD02")),
        ("PT1", CodeRef(None, "PT1")),
    ],
)
def test_parse_forms(text: str, expected: CodeRef) -> None:
    """
    Every form people type or payers send parses to the same reference.
    """
    assert CodeRef.parse(text) == expected


def test_specialty_zero_padding_is_kept() -> None:
    """
    PT01 and PT1 are different specialty codes, so only all-digit codes
    lose leading zeros.
    """
    assert CodeRef.parse("PT01").code == "PT01"
    assert CodeRef.parse("007").code == "7"


@pytest.mark.parametrize(
    "text", ["", "  ", "CO-", "50!", "foo bar", "a:b:c", "N3-86"]
)
def test_malformed_strings_say_which_forms_are_accepted(text: str) -> None:
    """
    A malformed string raises CodeSyntaxError listing the accepted forms.
    """
    with pytest.raises(CodeSyntaxError) as info:
        CodeRef.parse(text)

    assert "CO-50" in str(info.value)
    assert "specialty:B2" in str(info.value)
    assert isinstance(info.value, ValueError)


@given(st.text(max_size=20))
def test_parse_never_fails_unexpectedly(text: str) -> None:
    """
    Any string either parses or raises CodeSyntaxError, nothing else.
    """
    try:
        ref = CodeRef.parse(text)
    except CodeSyntaxError:
        return

    assert ref.code.isalnum()
    assert ref.code == ref.code.upper()


def _record(**changes: object) -> DenialCode:
    base: dict[str, object] = {
        "code_set": "carc",
        "code": "999",
        "release": "test",
        "status": "current",
        "start": datetime.date(2000, 1, 1),
    }
    base.update(changes)

    return DenialCode(**base)  # type: ignore[arg-type]


def test_validity_before_start_and_after_stop() -> None:
    """
    A code is valid from its start date up to the day before its stop date.
    """
    record = _record(
        status="deactivated",
        stop=datetime.date(2007, 6, 1),
        replaced_by=("45",),
    )

    assert (
        record.valid_on(datetime.date(1999, 12, 31)).state == "not_yet_valid"
    )
    assert record.valid_on(datetime.date(2007, 5, 31)).state == "valid"
    gone = record.valid_on(datetime.date(2007, 6, 1))
    assert gone.state == "deactivated"
    assert gone.is_valid is False
    assert "use CARC 45" in gone.reason


def test_unknown_dates_are_answered_as_unknown() -> None:
    """
    Missing dates give "unknown", never an invented answer.
    """
    no_start = _record(start=None, listed_on=datetime.date(2026, 8, 17))
    no_stop = _record(status="deactivated")

    assert no_start.valid_on(datetime.date(2020, 1, 1)).is_valid is None
    assert no_start.valid_on(datetime.date(2026, 9, 1)).is_valid is True
    assert no_stop.valid_on(datetime.date(2020, 1, 1)).state == "unknown"


def test_records_are_frozen() -> None:
    """
    Records cannot be changed after they are made.
    """
    record = _record()

    with pytest.raises(AttributeError):
        record.title = "changed"  # type: ignore[misc]
