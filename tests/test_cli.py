"""
Tests for the denialkit command line.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest

from denialkit._cli import main

from .conftest import EXAMPLES, FIRST_RELEASE


def run(
    capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()

    return code, out, err


def test_explain_json_has_the_required_keys(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    explain --json prints one object with code set, code, title, status,
    release and the editorial fields.
    """
    code, out, _ = run(capsys, "explain", "CO-50", "--json")
    data = json.loads(out)

    assert code == 0
    assert (data["code_set"], data["code"], data["group"]) == (
        "carc",
        "50",
        "CO",
    )
    assert data["title"] and data["status"] == "current"
    assert data["release"]
    assert data["editorial"]["appeal"]["action"] == "appeal"


def test_explain_text_for_a_rarc(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    explain N386 prints our title and summary and the release.
    """
    code, out, _ = run(capsys, "explain", "N386")

    assert code == 0
    assert out.startswith("RARC N386: ")
    assert "dataset release" in out
    assert "National Coverage Determination" in out


def test_explain_r2_shows_the_2026_revision(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    R2's JSON carries its facts and revision history with sources.
    """
    code, out, _ = run(capsys, "explain", "R2", "--json")
    data = json.loads(out)

    assert code == 0
    assert data["code_set"] == "specialty"
    revisions = data["editorial"]["revisions"]
    assert revisions and all(r["sources"] for r in revisions)
    assert any("AUC" in (r["previous"] or "") for r in revisions)
    assert any(f["uncertain"] for f in data["editorial"]["facts"])


def test_ambiguous_code_exits_2_without_traceback(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    explain B2 names both candidates on stderr and exits 2.
    """
    code, out, err = run(capsys, "explain", "B2")

    assert code == 2
    assert out == ""
    assert "carc:B2" in err and "specialty:B2" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("day", "state"), [("2006-01-01", "valid"), ("2020-01-01", "deactivated")]
)
def test_explain_as_of(capsys, day: str, state: str) -> None:  # type: ignore[no-untyped-def]
    """
    CARC 42 was valid in 2006 and deactivated since 2007-06-01 by 2020.
    """
    code, out, _ = run(capsys, "explain", "42", "--as-of", day, "--json")
    validity = json.loads(out)["validity"]

    assert code == 0
    assert validity["state"] == state
    if state == "deactivated":
        assert "2007-06-01" in validity["reason"]


def test_bad_date_and_unknown_code_exit_2(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    Bad input exits 2 with a message saying what to do.
    """
    with pytest.raises(SystemExit) as info:
        main(["explain", "42", "--as-of", "yesterday"])
    assert info.value.code == 2
    capsys.readouterr()

    code, _, err = run(capsys, "explain", "ZZ999")
    assert code == 2
    assert "ZZ999" in err


def test_appeal_r2_from_the_example_claim(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    The README's main job: an R2 letter with no placeholder left.
    """
    code, out, _ = run(
        capsys, "appeal", "R2", "--claim", str(EXAMPLES / "r2-claim.yaml")
    )

    assert code == 0
    assert "Denial code: R2 (" in out
    assert "[" not in out


def test_appeal_with_missing_fields_lists_them_all(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """
    Missing fields exit 2 with the full list; --draft renders anyway.
    """
    text = (EXAMPLES / "r2-claim.yaml").read_text()
    claim = tmp_path / "claim.yaml"
    claim.write_text(text.split("clinical:")[0] + "letter_date: 2026-11-20\n")

    code, _, err = run(capsys, "appeal", "R2", "--claim", str(claim))
    assert code == 2
    assert "clinical.summary (section clinical_summary)" in err
    assert "clinical.guideline.name (section guideline_citation)" in err

    code, out, _ = run(
        capsys, "appeal", "R2", "--claim", str(claim), "--draft"
    )
    assert code == 0
    assert "[Clinical Summary]" in out


def test_appeal_writes_each_format(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """
    -o writes text, Markdown, HTML, DOCX and PDF files.
    """
    for fmt in ("text", "markdown", "html", "docx", "pdf"):
        target = tmp_path / f"letter.{fmt}"
        code, _, _ = run(
            capsys,
            "appeal",
            "CO-50",
            "--claim",
            str(EXAMPLES / "r2-claim.yaml"),
            "--format",
            fmt,
            "-o",
            str(target),
        )
        assert code == 0
        assert target.stat().st_size > 500


def test_bad_claim_file_names_the_field(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """
    A wrong field in the claim file is named by path and line.
    """
    claim = tmp_path / "claim.yaml"
    claim.write_text(
        (EXAMPLES / "r2-claim.yaml")
        .read_text()
        .replace("npi: '1245319599'", "npi: '1245319598'")
    )

    code, _, err = run(capsys, "appeal", "R2", "--claim", str(claim))

    assert code == 2
    assert "provider.npi" in err
    assert "check digit" in err


def test_releases_and_diff(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    releases --json lists every release; diff --json reports changes.
    """
    code, out, _ = run(capsys, "releases", "--json")
    data = json.loads(out)
    assert code == 0
    ids = [r["release"] for r in data["releases"]]
    assert ids[0] == FIRST_RELEASE

    code, out, _ = run(capsys, "diff", ids[0], ids[-1], "--json")
    diff = json.loads(out)
    assert code == 0
    assert set(diff) >= {"added", "deactivated", "changed"}


def test_search_timely_filing(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    search "timely filing" lists CARC 29 first.
    """
    code, out, _ = run(capsys, "search", "timely filing")

    assert code == 0
    first = out.splitlines()[0].split()
    assert first[:2] == ["CARC", "29"]


def test_check_overlay(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """
    check accepts the example overlay and rejects unknown keys, duplicate
    codes and bad dates with file, line and field.
    """
    code, out, _ = run(capsys, "check", str(EXAMPLES / "org-overlay.yaml"))
    assert code == 0
    assert "valid overlay" in out

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\ncodes:\n- code_set: carc\n  code: '29'\n  colour: red\n"
    )
    code, _, err = run(capsys, "check", str(bad))
    assert code == 2
    assert "bad.yaml:5" in err and "codes[0].colour" in err

    bad.write_text(
        "name: x\ncodes:\n- {code_set: specialty, code: X1, status: current}\n"
        "- {code_set: specialty, code: X1, status: current}\n"
    )
    code, _, err = run(capsys, "check", str(bad))
    assert code == 2 and "appears twice" in err

    bad.write_text(
        "name: x\ncodes:\n- code_set: carc\n  code: '29'\n"
        "  start: 2026-02-30\n"
    )
    code, _, err = run(capsys, "check", str(bad))
    assert code == 2 and "bad.yaml:5 (field codes[0].start)" in err
    assert "2026-02-30 does not exist" in err


def test_check_prints_every_problem_of_a_long_list(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """
    check prints every problem, even past the fifty the exception's own
    message lists.
    """
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\ncodes:\n"
        + "".join(
            f"- {{code_set: specialty, code: X{n}, colour: red}}\n"
            for n in range(60)
        )
    )

    code, _, err = run(capsys, "check", str(bad))

    header, *listed = err.strip().splitlines()

    assert code == 2
    # Each code has an unknown key and no status: two problems each.
    assert header.endswith("bad.yaml: 120 problems:")
    assert len(listed) == 120
    assert all(line.startswith("  - ") for line in listed)
    assert "codes[59].colour" in listed[-2]


def test_check_reports_every_problem_at_once(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """
    check lists an unknown key, a code given twice and an impossible date
    in one run, in file order, each with file, line and field.
    """
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\n"
        "codes:\n"
        "- {code_set: carc, code: '29', colour: red}\n"
        "- {code_set: carc, code: '29'}\n"
        "- {code_set: specialty, code: X1, status: current,"
        " start: 2026-13-45}\n"
    )

    code, out, err = run(capsys, "check", str(bad))

    assert code == 2 and not out
    lines = err.splitlines()
    assert lines[0] == f"denialkit: error: {bad}: 3 problems:"
    assert [line.split(": ")[0] for line in lines[1:]] == [
        f"  - {bad}:3 (field codes[0].colour)",
        f"  - {bad}:4 (field codes[1].code)",
        f"  - {bad}:5 (field codes[2].start)",
    ]


def test_a_contradictory_status_is_refused(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """
    A current code with a stop date that had passed fails check, and
    explain refuses the overlay instead of printing two statuses.
    """
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\ncodes:\n- code_set: carc\n  code: '29'\n"
        "  status: current\n  stop: 2026-01-05\n"
    )

    code, _, err = run(capsys, "check", str(bad))
    assert code == 2 and f"{bad}:6 (field codes[0].stop)" in err

    code, out, err = run(
        capsys, "explain", "29", "--overlay", str(bad), "--as-of", "2026-06-01"
    )
    assert code == 2 and not out
    assert "the status is current" in err


def test_overlay_applies_on_the_command_line(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    --overlay adds payer codes and keywords to lookups and search.
    """
    overlay = str(EXAMPLES / "org-overlay.yaml")

    code, out, _ = run(
        capsys, "explain", "DEMO1", "--overlay", overlay, "--json"
    )
    assert code == 0
    assert json.loads(out)["editorial"]["appeal"]["action"] == "appeal"

    code, out, _ = run(
        capsys, "search", "pre-review form", "--overlay", overlay
    )
    assert out.split()[:2] == ["SPECIALTY", "DEMO1"]


def test_official_text_overlay(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """
    --x12-dir (or DENIALKIT_X12_DIR) shows X12's wording from the user's
    copy and reports codes found on one side only.
    """
    from .conftest import X12

    code, out, _ = run(
        capsys, "explain", "CO-50", "--json", "--x12-dir", str(X12)
    )
    assert code == 0
    assert "medical necessity" in json.loads(out)["official_text"]

    mini = tmp_path / "carc.csv"
    mini.write_text(
        "code,description\n50,Invented wording for a test.\n"
        "ZZ1,Not a real code.\n"
    )
    monkeypatch.setenv("DENIALKIT_X12_DIR", str(tmp_path))
    code, out, err = run(capsys, "explain", "50", "--json")
    assert json.loads(out)["official_text"] == "Invented wording for a test."
    assert "carc:ZZ1" in err


def test_export_formats(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """
    export writes JSON, CSV and FHIR; the FHIR bundle passes two FHIR
    model libraries (fhirclient's R4 models and fhir.resources R4B).
    """
    from fhir.resources.R4B.bundle import Bundle
    from fhirclient.models.bundle import Bundle as R4Bundle

    for fmt in ("json", "csv", "fhir"):
        target = tmp_path / f"out.{fmt}"
        code, _, _ = run(capsys, "export", "--format", fmt, "-o", str(target))
        assert code == 0

    rows = (tmp_path / "out.csv").read_text().splitlines()
    assert len(rows) == 1 + len(
        json.loads((tmp_path / "out.json").read_text())["codes"]
    )

    bundle = json.loads((tmp_path / "out.fhir").read_text())
    R4Bundle(bundle, strict=True)
    Bundle.model_validate(bundle)
    systems = {e["resource"]["url"]: e["resource"] for e in bundle["entry"]}
    carc = systems["https://x12.org/codes/claim-adjustment-reason-codes"]
    assert carc["count"] == 407
    assert (
        carc["version"]
        == json.loads((tmp_path / "out.json").read_text())["release"]
    )
    assert (
        systems["https://x12.org/codes/remittance-advice-remark-codes"][
            "count"
        ]
        == 1216
    )


def test_deadline_command(capsys) -> None:  # type: ignore[no-untyped-def]
    """
    deadline prints the date, rule and source, and reads claim files.
    """
    code, out, _ = run(
        capsys,
        "deadline",
        "--payer-type",
        "medicare_ab",
        "--notice-date",
        "2026-03-02",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert (data["date"], data["source"]) == (
        "2026-07-05",
        "42 CFR 405.942(a)",
    )

    code, out, _ = run(
        capsys,
        "deadline",
        "--claim",
        str(EXAMPLES / "r2-claim.yaml"),
        "--today",
        "2026-12-04",
    )
    assert code == 0
    assert "Deadline: 2027-01-06" in out

    with pytest.raises(SystemExit):
        main(["deadline"])


def test_check_reads_the_overlay_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    check parses and validates the file once, not once more to apply it:
    a large overlay takes half the time.
    """
    from denialkit import _schema

    calls = []
    parse = _schema.load_yaml

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("file"))
        return parse(*args, **kwargs)

    monkeypatch.setattr(_schema, "load_yaml", counted)

    code, out, _ = run(capsys, "check", str(EXAMPLES / "org-overlay.yaml"))

    assert code == 0 and "valid overlay" in out
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("today", "status"),
    [
        ("2027-02-28", "Status: current, stop scheduled for 2027-03-01"),
        ("2027-03-01", "Status: current in its list, stopped on 2027-03-01"),
        ("2030-01-01", "Status: current in its list, stopped on 2027-03-01"),
    ],
)
def test_explain_says_a_stop_date_has_come(
    tmp_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    today: str,
    status: str,
) -> None:
    """
    A current code's stop date is "scheduled" only while it is still
    ahead; from that day on explain says the code stopped then.
    """
    overlay = tmp_path / "plan.yaml"
    overlay.write_text(
        "name: x\ncodes:\n- {code_set: carc, code: '29', stop: 2027-03-01}\n"
    )

    code, out, _ = run(
        capsys,
        "explain",
        "29",
        "--release",
        FIRST_RELEASE,
        "--overlay",
        str(overlay),
        "--today",
        today,
    )

    assert code == 0
    assert status in out.splitlines()


def test_a_tagged_claim_value_never_reaches_the_terminal(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    A claim file whose member ID is tagged !!bool fails with its field
    named and the value left out.
    """
    text = (EXAMPLES / "r2-claim.yaml").read_text(encoding="utf-8")
    claim = tmp_path / "claim.yaml"
    claim.write_text(text.replace("TEST000001", "!!bool FAKESECRET1"))

    code, out, err = run(capsys, "deadline", "--claim", str(claim))

    assert code == 2 and not out
    assert "(field patient.member_id)" in err
    assert "secret" not in err.lower()
