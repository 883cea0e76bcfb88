"""
Tests for denialkit._overlay: organisation overlays and official text.
"""

from __future__ import annotations

import datetime
import pathlib

import pytest

import denialkit
from denialkit import DataFileError

from .conftest import FIRST_RELEASE


def _overlay(tmp_path: pathlib.Path, text: str) -> pathlib.Path:
    path = tmp_path / "plan.yaml"
    path.write_text("name: Invented plan\n" + text, encoding="utf-8")

    return path


def _problems(path: pathlib.Path) -> list[tuple[int | None, str | None]]:
    with pytest.raises(DataFileError) as info:
        denialkit.load(FIRST_RELEASE).with_overlay(path)

    return [(p.line, p.field) for p in info.value.problems]


def test_every_problem_of_an_overlay_is_reported(
    tmp_path: pathlib.Path,
) -> None:
    """
    An unknown key, a code given twice and impossible dates are reported
    together, in file order, each with its line and full field path.
    """
    path = _overlay(
        tmp_path,
        "codes:\n"  # 2
        "- code_set: carc\n"
        "  code: '29'\n"
        "  colour: red\n"  # 5
        "- code_set: carc\n"
        "  code: '29'\n"  # 7
        "- code_set: specialty\n"
        "  code: ZZ1\n"
        "  status: current\n"
        "  start: 2026-13-45\n"  # 11
        "sources:\n"
        "- id: demo\n"
        "  title: Demo\n"
        "  url: https://example.org\n"
        "  read: 2026-02-30\n",  # 16
    )

    assert _problems(path) == [
        (5, "codes[0].colour"),
        (7, "codes[1].code"),
        (11, "codes[2].start"),
        (16, "sources[0].read"),
    ]


def test_release_checks_are_reported_with_schema_problems(
    tmp_path: pathlib.Path,
) -> None:
    """
    Problems found against the release (a new code without a status,
    guidance for an unknown code, an undefined source) come in the same
    error as the schema's.
    """
    guidance = (
        "  explanation: Invented.\n"
        "  common_causes: [one, two, three]\n"
        "  prevention: [one, two, three]\n"
        "  appeal:\n"
        "    action: appeal\n"
        "    arguments: [one, two]\n"
        "    evidence: [one, two]\n"
        "    letter_argument: Invented.\n"
    )
    path = _overlay(
        tmp_path,
        "codes:\n"  # 2
        "- code_set: specialty\n"
        "  code: ZZ1\n"  # 4
        "  colour: red\n"  # 5
        "editorial:\n"
        "- code_set: specialty\n"
        "  code: ZZ2\n" + guidance + "- code_set: specialty\n"  # 8
        "  code: ZZ1\n"  # 18
         + guidance + "  facts:\n"
        "  - statement: Invented.\n"
        "    source: nowhere\n",  # 29
    )

    assert _problems(path) == [
        (4, "codes[0].status"),
        (5, "codes[0].colour"),
        (8, "editorial[0].code"),
        (29, "editorial[1].facts[0].source"),
    ]


def test_a_current_code_with_a_passed_stop_date_is_refused(
    tmp_path: pathlib.Path,
) -> None:
    """
    status: current with a stop date that had passed when the release's
    list was captured contradicts itself, and is refused.
    """
    path = _overlay(
        tmp_path,
        "codes:\n- code_set: carc\n  code: '29'\n  status: current\n"
        "  stop: 2026-01-05\n",
    )

    with pytest.raises(DataFileError) as info:
        denialkit.load(FIRST_RELEASE).with_overlay(path)

    assert (info.value.line, info.value.field) == (6, "codes[0].stop")
    assert "the CARC list was captured (2026-08-17)" in info.value.problem


def test_the_status_rule_applies_to_the_code_as_merged(
    tmp_path: pathlib.Path,
) -> None:
    """
    A stop date alone on a current code of the release, or status: current
    alone on a deactivated one, makes the same contradiction.
    """
    path = _overlay(
        tmp_path,
        "codes:\n"
        "- {code_set: carc, code: '29', stop: 2026-01-05}\n"
        "- {code_set: carc, code: '42', status: current}\n",
    )

    assert _problems(path) == [(3, "codes[0].stop"), (4, "codes[1].status")]


def test_a_scheduled_stop_is_accepted(tmp_path: pathlib.Path) -> None:
    """
    A current code may carry a stop date still to come; it is valid up to
    the day before.
    """
    path = _overlay(
        tmp_path,
        "codes:\n- {code_set: carc, code: '29', stop: 2027-03-01}\n",
    )

    record = denialkit.load(FIRST_RELEASE).with_overlay(path).get("carc", "29")

    assert record.is_current
    assert record.valid_on(datetime.date(2027, 2, 28)).state == "valid"
    assert record.valid_on(datetime.date(2027, 3, 1)).state == "deactivated"


def test_the_example_overlay_is_valid() -> None:
    """
    examples/org-overlay.yaml passes every check.
    """
    from .conftest import EXAMPLES

    dataset = denialkit.load().with_overlay(EXAMPLES / "org-overlay.yaml")

    assert dataset.get("specialty", "DEMO1").is_current


# Official text ------------------------------------------------------------


def test_a_folder_may_hold_a_dated_list(tmp_path: pathlib.Path) -> None:
    """
    A folder whose CARC list is named carc-2026-11.csv is read, as the
    how-to says.
    """
    (tmp_path / "carc-2026-11.csv").write_text(
        "code,description\n50,Invented wording for a test.\n"
    )

    dataset = denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)

    assert dataset.get("carc", "50").official_text == (
        "Invented wording for a test."
    )


def test_two_dated_lists_of_one_code_set_are_refused(
    tmp_path: pathlib.Path,
) -> None:
    """
    Two candidate files for one code set are an error naming both.
    """
    for name in ("carc-2026-03.csv", "CARC-2026-11.csv"):
        (tmp_path / name).write_text("code,description\n50,Invented.\n")

    with pytest.raises(DataFileError) as info:
        denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)

    assert "CARC-2026-11.csv, carc-2026-03.csv" in str(info.value)


def test_the_plain_name_wins_over_a_dated_one(tmp_path: pathlib.Path) -> None:
    """
    With carc.csv in the folder, other carc*.csv files are not read.
    """
    (tmp_path / "carc.csv").write_text("code,description\n50,Plain.\n")
    (tmp_path / "carc-2026-11.csv").write_text("code,description\n50,Old.\n")
    (tmp_path / "rarc_2026.csv").write_text("code,description\nN386,R.\n")

    dataset = denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)

    assert dataset.get("carc", "50").official_text == "Plain."
    assert dataset.get("rarc", "N386").official_text == "R."


def test_a_folder_without_lists_says_how_to_name_them(
    tmp_path: pathlib.Path,
) -> None:
    """
    A folder with no list names the file names denialkit looks for.
    """
    (tmp_path / "notes.csv").write_text("code,description\n")

    with pytest.raises(DataFileError, match=r"carc-2026-11\.csv"):
        denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)


def test_items_that_are_not_mappings_are_reported_in_file_order(
    tmp_path: pathlib.Path,
) -> None:
    """
    Codes, guidance and sources that are not mappings are reported at the
    line of their item, an empty mapping at its own line, all in file
    order with the problems found inside mappings.
    """
    path = _overlay(
        tmp_path,
        "codes:\n"  # 2
        "- 50\n"  # 3
        "-\n"  # 4
        "- [a, b]\n"  # 5
        "- {}\n"  # 6
        "- code_set: carc\n"
        "  code: '29'\n"
        "  colour: red\n"  # 9
        "editorial:\n"
        "- 7\n"  # 11
        "sources: ['x']\n",  # 12
    )

    assert _problems(path) == [
        (3, "codes[0]"),
        (4, "codes[1]"),
        (5, "codes[2]"),
        (6, "codes[3]"),
        (6, "codes[3]"),
        (9, "codes[4].colour"),
        (11, "editorial[0]"),
        (12, "sources[0]"),
    ]


def test_a_badly_tagged_value_is_reported_once(
    tmp_path: pathlib.Path,
) -> None:
    """
    A value its tag cannot read is one problem of the overlay, with the
    schema's; the schema adds nothing more about it.
    """
    path = _overlay(
        tmp_path,
        "codes:\n"
        "- code_set: carc\n"
        "  code: '29'\n"
        "  start: !!bool maybe\n"  # 5
        "  colour: red\n",  # 6
    )

    with pytest.raises(DataFileError) as info:
        denialkit.load(FIRST_RELEASE).with_overlay(path)

    assert [(p.line, p.field) for p in info.value.problems] == [
        (5, "codes[0].start"),
        (6, "codes[0].colour"),
    ]
    assert "maybe" not in str(info.value)


def test_codes_may_share_fields_through_a_merge_key(
    tmp_path: pathlib.Path,
) -> None:
    """
    YAML merge keys work in overlays: each code gets the anchored fields
    and keeps its own.
    """
    path = _overlay(
        tmp_path,
        "codes:\n"
        "- &payer\n"
        "  code_set: specialty\n"
        "  code: ZZ1\n"
        "  status: current\n"
        "  family: ZZ\n"
        "- <<: *payer\n"
        "  code: ZZ2\n"
        "  title: Invented second code\n",
    )

    dataset = denialkit.load(FIRST_RELEASE).with_overlay(path)

    assert dataset.get("specialty", "ZZ2").family == "ZZ"
    assert dataset.get("specialty", "ZZ2").title == "Invented second code"
    assert dataset.get("specialty", "ZZ1").is_current


@pytest.mark.parametrize(
    "name",
    [
        "carc-2026-11.csv",
        "carc_2026.csv",
        "CARC-2026-11-01.csv",
        "carc 2026.csv",
        "carc-v3.csv",
    ],
)
def test_a_dated_name_is_read(tmp_path: pathlib.Path, name: str) -> None:
    """
    A list named after its code set, a separator and a date or version is
    read from a folder.
    """
    (tmp_path / name).write_text("code,description\n50,Invented.\n")

    dataset = denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)

    assert dataset.get("carc", "50").official_text == "Invented."


@pytest.mark.parametrize(
    "name", ["carcinoma-notes.csv", "carc-notes.csv", "carc2026.csv"]
)
def test_a_name_that_only_starts_like_a_code_set_is_not_read(
    tmp_path: pathlib.Path, name: str
) -> None:
    """
    carcinoma-notes.csv is not the CARC list: the code set must be
    followed by a separator and a date, or end the name.
    """
    (tmp_path / name).write_text("code,description\n50,Invented.\n")

    with pytest.raises(DataFileError, match="no CSV file of a code list"):
        denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)


def test_a_list_not_in_utf8_names_the_file(tmp_path: pathlib.Path) -> None:
    """
    A CSV saved as Windows-1252 (an en dash is byte 0x96) is a
    DataFileError naming the file and asking for UTF-8.
    """
    carc = tmp_path / "carc.csv"
    carc.write_bytes(b"code,description\n50,Invented \x96 wording.\n")

    with pytest.raises(DataFileError) as info:
        denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)

    assert info.value.file == str(carc)
    assert "save it as UTF-8" in info.value.problem


def test_a_csv_the_reader_refuses_is_a_data_file_error(
    tmp_path: pathlib.Path,
) -> None:
    """
    A CSV the csv module cannot read, such as a field over its size
    limit, is a DataFileError naming the file.
    """
    carc = tmp_path / "carc.csv"
    carc.write_text("code,description\n50," + "x" * 200_000 + "\n")

    with pytest.raises(DataFileError) as info:
        denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)

    assert info.value.file == str(carc)


def test_a_folder_that_cannot_be_listed_names_the_folder(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    A folder denialkit may not list is a DataFileError naming the folder,
    not a bare PermissionError.
    """

    def refuse(path: str) -> list[str]:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr("denialkit._overlay.os.listdir", refuse)

    with pytest.raises(DataFileError) as info:
        denialkit.load(FIRST_RELEASE).with_official_text(tmp_path)

    assert info.value.file == str(tmp_path)
    assert "Permission denied" in info.value.problem


def test_a_source_defined_twice_is_refused(tmp_path: pathlib.Path) -> None:
    """
    Two sources with one id are an error at the second id.
    """
    source = "  title: Demo\n  url: https://example.org\n  read: 2026-01-02\n"
    path = _overlay(
        tmp_path,
        "sources:\n- id: demo\n" + source + "- id: demo\n" + source,
    )

    assert _problems(path) == [(7, "sources[1].id")]
