"""
The ``denialkit remit`` command, run through the parser it registers.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import pathlib
import shutil
from collections.abc import Sequence

import pytest

from denialkit.remit._cli import register

from .remit.independent import SAMPLES

SYNTHETIC = SAMPLES / "synthetic_denial-edge-cases.835"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="denialkit")
    commands = parser.add_subparsers(dest="command", required=True)
    register(commands)
    args = parser.parse_args(argv)

    return int(args.func(args))


def test_summary_by_payer_and_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    The summary lists each payer's denials by reason with count and amount.
    """
    status = main(["remit", str(SYNTHETIC)])

    out = capsys.readouterr().out

    assert status == 0
    assert "1 claim" not in out
    assert "4 claim(s), 4 line(s), 9 adjustment(s); 4 denial(s)" in out
    assert (
        "FAKE HEALTH PLAN  CO-197   known            1         500.00" in out
    )
    assert "CO-R2    non_x12" in out
    assert "No problems found." in out


def test_folder_reads_every_835_and_shows_progress(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    A folder is read file by file (PROVENANCE.md is skipped), with
    progress on stderr and problems in the summary.
    """
    status = main(["remit", str(SAMPLES)])

    captured = capsys.readouterr()

    assert status == 0
    assert "Read 15 file(s): 22 remittance(s), 418 claim(s)" in captured.out
    assert "[15/15]" in captured.err
    assert "PROVENANCE" not in captured.err
    assert "component-separator" in captured.out


def test_json_lists_denials_and_problems(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    --json gives the summary, every denial and every problem.
    """
    status = main(
        ["remit", "--json", str(SAMPLES / "lfh-x12_managed-care.835")]
    )

    data = json.loads(capsys.readouterr().out)

    assert status == 0
    assert [d["reason"] for d in data["denials"]] == ["A2", "A2"]
    assert data["denials"][0]["status"] == "deactivated"
    assert data["denials"][0]["amount"] == "50.00"
    assert [p["code"] for p in data["problems"]] == ["bad-value"]
    assert data["problems"][0]["position"]["element"] == 16
    assert "20002316" not in json.dumps(data["problems"])


def test_csv_has_one_row_per_denial(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    --csv prints a header and one row per denial.
    """
    status = main(["remit", "--csv", str(SYNTHETIC)])

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))

    assert status == 0
    assert [(r["claim"], r["line"], r["reason"]) for r in rows] == [
        ("1", "1", "R2"),
        ("1", "2", "ZZ9"),
        ("1", "2", "42"),
        ("2", "", "197"),
    ]
    assert rows[1]["remarks"] == "N9999:unknown M15:known"


def test_strict_mode_exits_1_on_problems(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    --strict exits 1 when any problem is found, 0 on a clean file.
    """
    bad = main(
        ["remit", "--strict", str(SAMPLES / "edi-835-parser_bcbs-nc.835")]
    )
    good = main(["remit", "--strict", str(SYNTHETIC)])

    assert (bad, good) == (1, 0)


@pytest.mark.parametrize(
    "argv",
    [
        ["remit", "/no/such/file.835"],
        ["remit", "--appeals", "out", str(SYNTHETIC)],
        ["remit", "--release", "1999.9", str(SYNTHETIC)],
    ],
)
def test_bad_arguments_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A missing file, --appeals without --practice or an unknown release
    exit 2 with a message.
    """
    status = main(argv)

    assert status == 2
    assert "error" in capsys.readouterr().err


def test_json_and_csv_together_are_refused() -> None:
    """
    --json and --csv exclude each other (argparse exits 2).
    """
    with pytest.raises(SystemExit) as caught:
        main(["remit", "--json", "--csv", str(SYNTHETIC)])

    assert caught.value.code == 2


def test_folder_without_835_files_exits_2(tmp_path: pathlib.Path) -> None:
    """
    A folder with no 835 in it is a bad argument.
    """
    (tmp_path / "notes.txt").write_text("nothing here", "utf-8")

    assert main(["remit", str(tmp_path)]) == 2


PRACTICE = """\
practice:
  name: Example Valley Imaging (TEST PRACTICE)
  address_lines: [100 Sample Street, "Testville, ZZ 00000"]
  phone: 555-0100
  npi: '1234567893'
signer_name: Alex Sample
signer_title: Billing lead
"""


def test_appeals_writes_one_draft_per_appealable_denial(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    --appeals writes a letter for each appealable denial, as a draft with
    placeholders where the 835 has no clinical facts.
    """
    practice = tmp_path / "practice.yaml"
    practice.write_text(PRACTICE, "utf-8")
    folder = tmp_path / "letters"

    status = main(
        [
            "remit",
            "--appeals",
            str(folder),
            "--practice",
            str(practice),
            str(SYNTHETIC),
        ]
    )

    letters = sorted(folder.iterdir())
    text = letters[0].read_text("utf-8")

    assert status == 0
    assert [p.name for p in letters] == [
        "synthetic_denial-edge-cases-t1-c2-l0-CO-197.txt"
    ]
    assert "Example Valley Imaging" in text
    assert "TESTPATIENT" in text
    assert "[" in text
    assert "Wrote 1 appeal letter(s)" in capsys.readouterr().err


def test_appeals_for_r2_use_the_r2_letter(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    CO-50 on an MRI gets the R2 (advanced imaging) letter.
    """
    remit = tmp_path / "r2.835"
    remit.write_text(
        "ST*835*0001~BPR*I*0*C*NON************20240301~N1*PR*FAKE PLAN~"
        "N1*PE*FAKE CLINIC~CLP*FAKEACCT*4*1400*0**16*FAKEICN~"
        "NM1*QC*1*TESTPATIENT*BETA****MI*FAKEMEMBER~"
        "SVC*HC:72148*1400*0**1~DTM*472*20240102~CAS*CO*50*1400~SE*10*0001~",
        "utf-8",
    )
    practice = tmp_path / "practice.yaml"
    practice.write_text(PRACTICE, "utf-8")

    status = main(
        [
            "remit",
            "--appeals",
            str(tmp_path / "out"),
            "--practice",
            str(practice),
            str(remit),
        ]
    )

    [letter] = (tmp_path / "out").iterdir()
    text = letter.read_text("utf-8")

    assert status == 0
    assert "R2" in text
    assert "72148" in text


def test_bad_practice_file_exits_2(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A practice file with a bad NPI is refused before anything is read.
    """
    practice = tmp_path / "practice.yaml"
    practice.write_text(PRACTICE.replace("1234567893", "1234567890"), "utf-8")

    status = main(
        [
            "remit",
            "--appeals",
            str(tmp_path),
            "--practice",
            str(practice),
            str(SYNTHETIC),
        ]
    )

    assert status == 2
    assert "npi" in capsys.readouterr().err


def test_main_cli_has_the_remit_command(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    denialkit's own command line runs remit.
    """
    from denialkit._cli import main as denialkit_main

    copy = tmp_path / "one.835"
    shutil.copy(SYNTHETIC, copy)

    status = denialkit_main(["remit", str(copy)])

    assert status == 0
    assert "4 denial(s)" in capsys.readouterr().out
