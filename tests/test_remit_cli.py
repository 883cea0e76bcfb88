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

from .conftest import EXAMPLES
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
        ["remit", "--overwrite", str(SYNTHETIC)],
    ],
)
def test_bad_arguments_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A missing file, --appeals without --practice, an unknown release or
    --overwrite without --appeals exit 2 with a message.
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
        "synthetic_denial-edge-cases-FAKECHK0001-t1-c2-l0-CO-197.txt"
    ]
    assert text.startswith("DRAFT, NOT READY TO SEND")
    assert "Example Valley Imaging" in text
    assert "TESTPATIENT" in text
    assert "[" in text
    # No attachments are known from an 835: the guidance's evidence is
    # listed for the biller to enclose.
    assert "2. [To enclose: " in text
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


GRIP = SAMPLES / "oopfactory_4010-grip-elements.835"
LARGE = SAMPLES / "oopfactory_4010-deidentified-large.835"


def _appeals(
    folder: pathlib.Path, *paths: pathlib.Path, overwrite: bool = False
) -> int:
    practice = str(EXAMPLES / "practice.yaml")
    flags = ["--overwrite"] if overwrite else []

    return main(
        [
            "remit",
            "--appeals",
            str(folder),
            "--practice",
            practice,
            *flags,
            *map(str, paths),
        ]
    )


def test_no_letter_for_a_correction_or_reversal(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    In the grip-elements sample only CO-29 gets a letter: CR-18 on a
    denied claim and the adjustments of its two reversals (status 22) get
    none.
    """
    status = _appeals(tmp_path, GRIP)

    names = sorted(path.name for path in tmp_path.iterdir())

    assert status == 0
    assert names == [
        "oopfactory_4010-grip-elements-A04B00101707504-t1-c3-l1-CO-29.txt"
    ]
    assert "Wrote 1 appeal letter(s)" in capsys.readouterr().err


def test_summary_explains_corrections_and_leaves_out_negatives(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    Negative adjustments (CR-50 -14.00, CR-18 -50.00) are no denials and
    no summary rows; the summary says how many it left out.
    """
    status = main(["remit", str(LARGE)])

    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("XXX - ")]

    assert status == 0
    assert rows
    assert not [row for row in rows if row.split()[-1].startswith("-")]
    assert "CR-50" not in out
    assert "40 negative adjustment(s) are not counted as denials" in out


def test_summary_names_the_denials_never_drafted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    CR and reversal denials stay in the table, with a note that no appeal
    is drafted for them.
    """
    main(["remit", str(GRIP)])

    out = capsys.readouterr().out

    assert "CR-18    known            1          25.95" in out
    assert "8 of these denial(s) are in group CR or on a reversal" in out
    assert "1 negative adjustment(s)" in out


def test_json_counts_negative_adjustments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """
    --json gives the count of negative adjustments left out, and lists CR
    denials as not appealable.
    """
    main(["remit", "--json", str(GRIP)])

    data = json.loads(capsys.readouterr().out)
    cr = [d for d in data["denials"] if d["group"] == "CR"]

    assert data["negative_adjustments"] == 1
    assert cr
    assert {d["appealable"] for d in cr} == {False}


def test_existing_letters_are_kept_unless_overwrite(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A second run keeps a letter the user edited and says why it skipped
    it; --overwrite replaces it.
    """
    _appeals(tmp_path, SYNTHETIC)
    [letter] = tmp_path.iterdir()
    letter.write_text("edited by hand", "utf-8")
    capsys.readouterr()

    kept = _appeals(tmp_path, SYNTHETIC)
    kept_err = capsys.readouterr().err
    kept_text = letter.read_text("utf-8")
    replaced = _appeals(tmp_path, SYNTHETIC, overwrite=True)
    replaced_err = capsys.readouterr().err

    assert kept == replaced == 0
    assert kept_text == "edited by hand"
    assert "Wrote 0 appeal letter(s)" in kept_err
    assert (
        "skipped 1: already written; pass --overwrite to replace." in kept_err
    )
    assert "Wrote 1 appeal letter(s)" in replaced_err
    assert "skipped 0." in replaced_err
    assert "edited by hand" not in letter.read_text("utf-8")


def test_same_named_files_in_two_folders_get_two_letters(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    Two files of the same name give two letters, the second numbered,
    rather than one letter written over the other.
    """
    for month in ("jan", "feb"):
        (tmp_path / month).mkdir()
        shutil.copy(SYNTHETIC, tmp_path / month / "remit.835")
    out = tmp_path / "letters"

    _appeals(out, tmp_path / "jan", tmp_path / "feb")
    again = _appeals(out, tmp_path / "jan", tmp_path / "feb")

    names = sorted(path.name for path in out.iterdir())

    assert again == 0
    assert names == [
        "remit-FAKECHK0001-t1-c2-l0-CO-197-2.txt",
        "remit-FAKECHK0001-t1-c2-l0-CO-197.txt",
    ]
    assert "skipped 2: already written" in capsys.readouterr().err


def test_claim_level_letter_lists_the_claim_charge_and_date(
    tmp_path: pathlib.Path,
) -> None:
    """
    CO-197 on a claim with no lines lists the claim's charge on the day
    of its one-day statement period, with a placeholder a biller can read
    for the procedure the 835 does not name.
    """
    _appeals(tmp_path, SYNTHETIC)

    [letter] = tmp_path.iterdir()
    text = letter.read_text("utf-8")

    assert "- [Procedure Code] on December 20, 2023, billed $500.00" in text
    assert "[Service Lines" not in text
    assert "[Date of Service]" not in text


def _claim_level_letter(
    folder: pathlib.Path, period: tuple[str, str], dated: str
) -> str:
    """
    The letter drafted for CO-50 on a claim of two lines, the first dated
    *dated*, the second undated, with statement period *period*.
    """
    remit = folder / "claim.835"
    remit.write_text(
        "ST*835*0001~BPR*I*0*C*NON************20240301~N1*PR*FAKE PLAN~"
        "N1*PE*FAKE CLINIC~CLP*FAKEACCT*4*300*0**CI*FAKEICN~"
        "CAS*CO*50*300~NM1*QC*1*TESTPATIENT*BETA****MI*FAKEMEMBER~"
        f"DTM*232*{period[0]}~DTM*233*{period[1]}~"
        f"SVC*HC:99213:25*100*0**1~DTM*472*{dated}~"
        "SVC*HC:97110*200*0**1~SE*13*0001~",
        "utf-8",
    )
    out = folder / "letters"
    _appeals(out, remit)
    [letter] = out.iterdir()

    return letter.read_text("utf-8")


def test_claim_level_letter_lists_every_line_of_the_claim(
    tmp_path: pathlib.Path,
) -> None:
    """
    A claim-level denial lists each line of the claim; a line without
    its own date takes the day of a one-day statement period.
    """
    text = _claim_level_letter(tmp_path, ("20240105", "20240105"), "20240102")

    assert "- 99213-25 on January 2, 2024, billed $100.00" in text
    assert "- 97110 on January 5, 2024, billed $200.00" in text
    assert "[Procedure Code]" not in text


def test_claim_level_letter_does_not_guess_a_day_in_a_longer_period(
    tmp_path: pathlib.Path,
) -> None:
    """
    A line without its own date on a claim whose statement period spans
    several days keeps a placeholder: any one day of the period would be
    a guess stated as fact.
    """
    text = _claim_level_letter(tmp_path, ("20231201", "20231203"), "20231202")

    assert "- 99213-25 on December 2, 2023, billed $100.00" in text
    assert "- 97110 on [Date of Service], billed $200.00" in text
    assert "December 1, 2023" not in text


def test_different_remittances_in_same_named_files_keep_their_letters(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    Each month's remit.835 is a different payment: a later run writes its
    letters beside the earlier ones instead of calling them written.
    """
    text = SYNTHETIC.read_text("utf-8")
    (tmp_path / "jan").mkdir()
    (tmp_path / "feb").mkdir()
    (tmp_path / "jan" / "remit.835").write_text(text, "utf-8")
    (tmp_path / "feb" / "remit.835").write_text(
        text.replace("FAKECHK0001", "FAKECHK0002"), "utf-8"
    )
    out = tmp_path / "letters"

    _appeals(out, tmp_path / "jan")
    _appeals(out, tmp_path / "feb")

    assert sorted(path.name for path in out.iterdir()) == [
        "remit-FAKECHK0001-t1-c2-l0-CO-197.txt",
        "remit-FAKECHK0002-t1-c2-l0-CO-197.txt",
    ]
    assert "already written" not in capsys.readouterr().err


def test_a_numbered_letter_name_keeps_one_extension() -> None:
    """
    Numbering a taken name changes only its end, even when the input's
    own name has ``.txt`` in it.
    """
    from denialkit.remit._cli import _unique

    taken: set[str] = set()
    names = [_unique("r.txt-t1-c2-l0-CO-197.txt", taken) for _ in range(3)]

    assert names == [
        "r.txt-t1-c2-l0-CO-197.txt",
        "r.txt-t1-c2-l0-CO-197-2.txt",
        "r.txt-t1-c2-l0-CO-197-3.txt",
    ]


def test_example_practice_file_loads() -> None:
    """
    examples/practice.yaml loads as the practice of --appeals, with every
    field the how-to lists.
    """
    from denialkit.remit._cli import _practice

    context = _practice(str(EXAMPLES / "practice.yaml"))

    assert context.practice.name == "Example Valley Imaging (TEST PRACTICE)"
    assert context.practice.npi == "1234567893"
    assert context.practice.address_lines
    assert context.provider is not None
    assert context.provider.npi == "1245319599"
    assert (context.signer_name, context.signer_title) == (
        "Alex Sample",
        "Billing lead",
    )


def test_how_to_shows_the_example_practice_file() -> None:
    """
    The practice file in the remittance-folder how-to is
    examples/practice.yaml, so the two cannot drift apart.
    """
    import re

    import yaml

    page = EXAMPLES.parent / "docs" / "how-to" / "remittance-folder.md"
    [shown] = re.findall(r"```yaml\n(.*?)```", page.read_text(), re.DOTALL)

    example = (EXAMPLES / "practice.yaml").read_text("utf-8")

    assert yaml.safe_load(shown) == yaml.safe_load(example)
    assert "--practice examples/practice.yaml" in page.read_text()
