"""
Tests for denialkit._schema: the checks shared by data/ and overlays.
"""

from __future__ import annotations

import datetime
import pathlib

import pytest

import denialkit
from denialkit import DataFileError
from denialkit._schema import check_code_file, load_yaml

from .conftest import EXAMPLES

CAPTURED = datetime.date(2026, 8, 17)
_RECORD = "code_set: carc\ncodes:\n- code: '1'\n  status: current\n"


def _check(text: str, captured: datetime.date | None = None) -> None:
    check_code_file(
        load_yaml(text, file="codes.yaml"),
        file="codes.yaml",
        captured=captured,
    )


def _problem(text: str, captured: datetime.date | None = None) -> str:
    with pytest.raises(DataFileError) as info:
        _check(text, captured)
    [problem] = info.value.problems

    return f"{problem.line} {problem.field}: {problem.problem}"


def test_every_problem_is_reported_in_file_order() -> None:
    """
    One error lists every problem of the file, sorted by line, each with
    its own line and full field path.
    """
    text = (
        "code_set: carc\n"
        "codes:\n"
        "- code: '1'\n"
        "  status: current\n"
        "  colour: red\n"
        "- code: '1'\n"
        "  status: gone\n"
        "- code: '2'\n"
        "  status: current\n"
        "  start: 2026-13-45\n"
    )

    with pytest.raises(DataFileError) as info:
        _check(text)

    error = info.value
    assert [(p.line, p.field) for p in error.problems] == [
        (5, "codes[0].colour"),
        (6, "codes[1].code"),
        (7, "codes[1].status"),
        (10, "codes[2].start"),
    ]
    assert str(error).startswith("codes.yaml: 4 problems:\n")
    assert str(error).count("\n  - codes.yaml:") == 4


def test_the_error_keeps_the_first_problem_as_its_attributes() -> None:
    """
    file, line, field and problem are the first problem's, as before the
    error listed them all.
    """
    text = "code_set: carc\ncodes:\n- {code: '1', status: x}\n- {code: 2}\n"

    with pytest.raises(DataFileError) as info:
        _check(text)

    error, first = info.value, info.value.problems[0]
    assert (error.file, error.line, error.field, error.problem) == (
        first.file,
        first.line,
        first.field,
        first.problem,
    )
    assert error.field == "codes[0].status"


def test_a_single_problem_reads_as_before() -> None:
    """
    With one problem the message is that problem, and problems holds the
    error itself.
    """
    error = DataFileError("an invented problem", file="f.yaml", line=3)

    assert str(error) == "f.yaml:3: an invented problem"
    assert error.problems == (error,)


def test_a_repeated_key_is_reported_with_the_schema_problems() -> None:
    """
    A key written twice in one mapping is one more problem of the file.
    """
    text = (
        "code_set: carc\n"
        "codes:\n"
        "- code: '1'\n"
        "  status: current\n"
        "  status: deactivated\n"
        "  colour: red\n"
    )
    collected: list[DataFileError] = []
    document = load_yaml(text, file="codes.yaml", problems=collected)

    with pytest.raises(DataFileError) as info:
        check_code_file(document, file="codes.yaml")

    assert "first on line 4" in collected[0].problem
    assert [p.field for p in info.value.problems] == ["codes[0].colour"]


def test_a_repeated_key_alone_still_raises() -> None:
    """
    Without a list to collect into, load_yaml raises on a repeated key.
    """
    with pytest.raises(DataFileError, match="appears twice") as info:
        load_yaml("a: 1\nb: 2\na: 3\n", file="x.yaml")

    assert info.value.line == 3


def test_a_bad_list_item_names_its_own_line() -> None:
    """
    A bad item in a list of values is reported at its own line.
    """
    text = (
        "code_set: carc\ncodes:\n- code: '1'\n  status: current\n"
        "  keywords:\n  - late\n  - 5\n"
    )

    assert _problem(text) == "7 codes[0].keywords[1]: expected non-empty text"


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("2026-13-45", "there is no month 13"),
        ("'2026-13-45'", "there is no month 13"),
        ("2026-02-30", "2026-02 has only 28 days"),
        ('"2024-02-30"', "2024-02 has only 29 days"),
        ("2026-04-31", "2026-04 has only 30 days"),
        ("2026-01-00", "there is no day 0"),
        ("0000-01-01", "there is no year 0"),
    ],
)
def test_a_date_that_does_not_exist_says_so(written: str, why: str) -> None:
    """
    A date written YYYY-MM-DD that is not in the calendar, quoted or not,
    is reported at its full field path as a date that does not exist.
    """
    text = f"{_RECORD}  start: {written}\n"
    shown = written.strip("'\"")

    assert _problem(text) == (
        f"5 codes[0].start: the date {shown} does not exist: {why}"
    )


def test_a_source_date_that_does_not_exist_names_the_full_path() -> None:
    """
    The read date of a source is reported as sources[0].read, not read.
    """
    from denialkit._schema import check_sources

    text = (
        "sources:\n- id: demo\n  title: Demo\n  url: https://example.org\n"
        "  read: 2026-02-30\n"
    )

    with pytest.raises(DataFileError) as info:
        check_sources(load_yaml(text, file="s.yaml"), file="s.yaml")

    assert info.value.field == "sources[0].read"
    assert "does not exist" in info.value.problem


@pytest.mark.parametrize(
    "written", ["'05/01/2026'", "'20260105'", "2026-1-45", "2026-01-05 10:00"]
)
def test_a_date_in_another_form_asks_for_yyyy_mm_dd(written: str) -> None:
    """
    A value not written YYYY-MM-DD keeps the message that asks for it.
    """
    text = f"{_RECORD}  start: {written}\n"

    assert _problem(text) == (
        "5 codes[0].start: expected a date written YYYY-MM-DD"
    )


def test_a_current_code_whose_stop_date_had_passed_is_refused() -> None:
    """
    A current code may not have a stop date on or before the day its list
    was captured: from that date on the code is deactivated.
    """
    text = (
        "code_set: carc\ncodes:\n- code: '1'\n  status: current\n"
        "  start: 2001-01-01\n  stop: 2026-01-05\n"
    )

    found = _problem(text, CAPTURED)

    assert found.startswith("6 codes[0].stop: the status is current")
    assert "2026-01-05" in found and "2026-08-17" in found
    assert "status: deactivated" in found


def test_a_current_code_may_have_a_scheduled_stop() -> None:
    """
    A stop date after the capture day is a stop the list announces ahead,
    so it goes with a current status; a deactivated code keeps any date.
    """
    text = (
        "code_set: carc\ncodes:\n- {code: '1', status: current,"
        " stop: 2027-03-01}\n- {code: '2', status: deactivated,"
        " stop: 2009-07-01}\n"
    )

    _check(text, CAPTURED)


def test_stop_before_start_names_the_stop_field() -> None:
    """
    A stop date not after the start date is reported on stop.
    """
    text = (
        "code_set: carc\ncodes:\n- code: '1'\n  status: deactivated\n"
        "  start: 2020-01-01\n  stop: 2019-01-01\n"
    )

    assert _problem(text) == (
        "6 codes[0].stop: the stop date must be after the start date"
    )


@pytest.mark.parametrize("release", denialkit.releases())
def test_no_shipped_current_code_has_a_passed_stop_date(release: str) -> None:
    """
    In every shipped release, a current code's stop date (if any) comes
    after the day its list was captured.
    """
    dataset = denialkit.load(release)

    wrong = [
        r.key
        for r in dataset
        if r.is_current and r.stop and r.listed_on and r.stop <= r.listed_on
    ]

    assert wrong == []


def test_list_items_that_are_not_mappings_name_their_line() -> None:
    """
    A code that is a number, empty, a list or an empty mapping is reported
    at the line of its item, in file order with the other problems.
    """
    text = (
        "code_set: carc\n"
        "codes:\n"
        "- 50\n"  # 3
        "-\n"  # 4
        "- [a, b]\n"  # 5
        "- {}\n"  # 6
        "- code: '7'\n"
        "  status: gone\n"  # 8
    )

    with pytest.raises(DataFileError) as info:
        _check(text)

    assert [(p.line, p.field) for p in info.value.problems] == [
        (3, "codes[0]"),
        (4, "codes[1]"),
        (5, "codes[2]"),
        (6, "codes[3]"),
        (6, "codes[3]"),
        (8, "codes[4].status"),
    ]


def test_problems_without_a_line_come_last() -> None:
    """
    raise_all keeps file order: a problem with no line follows the
    others instead of sorting as line 0.
    """
    from denialkit._schema import raise_all

    unplaced = DataFileError("invented, no line", file="f.yaml")
    placed = DataFileError("invented, line 9", file="f.yaml", line=9)

    with pytest.raises(DataFileError) as info:
        raise_all([unplaced, placed])

    assert [p.problem for p in info.value.problems] == [
        "invented, line 9",
        "invented, no line",
    ]


def test_a_long_list_of_problems_is_cut_short_in_the_message() -> None:
    """
    The message lists the first 50 problems and counts the rest; the
    problems attribute keeps every one.
    """
    more = [
        DataFileError(f"invented {n}", file="f.yaml", line=n)
        for n in range(2, 61)
    ]

    error = DataFileError("invented 1", file="f.yaml", line=1, more=more)

    assert len(error.problems) == 60
    assert str(error).count("\n  - f.yaml:") == 50
    assert str(error).endswith(
        "\n  … and 10 more (all are in the error's problems)"
    )
    assert "invented 50" in str(error) and "invented 51" not in str(error)


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        ("!!int ''", "!!int"),
        ("!!float ''", "!!float"),
        ("!!timestamp junk", "!!timestamp"),
        ("!!bool maybe", "!!bool"),
        ("!!int INVENTED", "!!int"),
        ("!!map [a, b]", "!!map"),
        ("!!seq {a: b}", "!!seq"),
        ("!!str [a, b]", "!!str"),
    ],
)
def test_a_value_its_tag_cannot_read_is_a_data_file_error(
    written: str, tag: str
) -> None:
    """
    A value that cannot be read as the type its tag names is reported at
    its line and full field path, and the message leaves the value out.
    """
    text = f"{_RECORD}  start: {written}\n"

    found = _problem(text)

    assert found == (
        f"5 codes[0].start: the value cannot be read as {tag}; remove the"
        " tag, or write a value of that type"
    )
    assert "maybe" not in found and "junk" not in found


def test_a_tagged_value_is_left_out_of_the_message_in_claim_files(
    tmp_path: pathlib.Path,
) -> None:
    """
    In a claim file a member ID tagged !!bool is a DataFileError naming
    the field, never a KeyError that echoes the (lower-cased) value.
    """
    from denialkit.appeals import load_context

    text = (EXAMPLES / "r2-claim.yaml").read_text(encoding="utf-8")
    assert "  member_id: TEST000001\n" in text
    claim = tmp_path / "claim.yaml"
    claim.write_text(text.replace("TEST000001", "!!bool FAKESECRET1"))

    with pytest.raises(DataFileError) as info:
        load_context(claim)

    assert info.value.field == "patient.member_id"
    assert "secret" not in str(info.value).lower()


def test_an_unknown_tag_is_reported_without_the_tag() -> None:
    """
    A tag denialkit has no reader for is a problem of its field; the
    message does not repeat what was written.
    """
    text = f"{_RECORD}  note: !FAKESECRET invented\n"

    found = _problem(text)

    assert found.startswith("5 codes[0].note: the value has a YAML tag")
    assert "FAKESECRET" not in found


def test_a_set_as_a_key_is_a_problem_not_a_type_error() -> None:
    """
    A key that cannot be a key, such as a !!set, is reported at its line.
    """
    text = "code_set: carc\ncodes: []\n? !!set {a: null}\n: 1\n"

    with pytest.raises(DataFileError) as info:
        load_yaml(text, file="codes.yaml")

    assert info.value.line == 3
    assert "a key must be plain text" in info.value.problem


def test_deep_nesting_is_a_data_file_error() -> None:
    """
    Lists nested thousands deep are refused with a DataFileError instead
    of a RecursionError.
    """
    text = "codes: " + "[" * 5000 + "]" * 5000 + "\n"

    with pytest.raises(DataFileError, match="nested too deeply"):
        load_yaml(text, file="deep.yaml")


def test_merge_keys_copy_fields_and_own_keys_win() -> None:
    """
    A merge key (<<: *base) copies the keys of the anchored mapping; keys
    the record writes itself win, and a merged field's problem is
    reported at the line of its merge key.
    """
    text = (
        "code_set: carc\n"
        "codes:\n"
        "- &base\n"
        "  code: '1'\n"
        "  status: current\n"
        "  keywords: [invented]\n"
        "- <<: *base\n"  # 7
        "  code: '2'\n"
        "- <<: *base\n"  # 9
        "  code: '3'\n"
        "  status: deactivated\n"
        "  stop: 2009-07-01\n"
        "  start: 2019-01-01\n"  # 13
    )
    document = load_yaml(text, file="codes.yaml")

    with pytest.raises(DataFileError) as info:
        _check(text)

    second, third = document["codes"][1], document["codes"][2]
    assert (second["code"], second["status"]) == ("2", "current")
    assert second["keywords"] == ["invented"]
    assert second.lines["status"] == 7
    assert third["status"] == "deactivated"
    assert [(p.line, p.field) for p in info.value.problems] == [
        (12, "codes[2].stop")
    ]


def test_a_date_in_other_digits_asks_for_yyyy_mm_dd() -> None:
    """
    Full-width digits are not the ASCII digits of YYYY-MM-DD, so such a
    date gets the message asking for that form.
    """
    text = f"{_RECORD}  start: '２０２４-０２-２０'\n"

    assert _problem(text) == (
        "5 codes[0].start: expected a date written YYYY-MM-DD"
    )


@pytest.mark.parametrize("written", ["2024-02-29", "'2024-02-29'"])
def test_the_leap_day_of_a_leap_year_is_a_date(written: str) -> None:
    """
    2024-02-29 exists, quoted or not.
    """
    document = load_yaml(f"{_RECORD}  start: {written}\n", file="codes.yaml")

    check_code_file(document, file="codes.yaml")

    assert document["codes"][0]["start"] == datetime.date(2024, 2, 29)


def test_the_leap_day_of_a_common_year_is_not() -> None:
    """
    2023-02-29 does not exist.
    """
    text = f"{_RECORD}  start: 2023-02-29\n"

    assert _problem(text) == (
        "5 codes[0].start: the date 2023-02-29 does not exist: 2023-02 has"
        " only 28 days"
    )


def test_a_passed_stop_names_the_code_set_as_messages_do() -> None:
    """
    The status rule names a specialty list "the specialty code list".
    """
    text = (
        "code_set: specialty\ncodes:\n- code: ZZ1\n  status: current\n"
        "  stop: 2026-01-05\n"
    )

    assert "the specialty code list was captured" in _problem(text, CAPTURED)
