"""
tools/import_x12.py applies a new X12 publication in one command.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT, X12

TOOL = str(ROOT / "tools" / "import_x12.py")


def _run(*args: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run(
        [sys.executable, TOOL, *args, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )

    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_from_the_2016_list_to_the_2026_list(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """
    Starting from the 2016 WPC CARC list, the 2026 list adds 40 codes,
    deactivates 5 and rewords 78 (the rows its file marks as changed),
    and removes none; applying it leaves nothing more to do.
    """
    data = str(tmp_path)
    first = _run(
        "--carc",
        str(X12 / "carc_wpc_2016-03-07.csv"),
        "--data",
        data,
        "--apply",
    )
    assert first["carc"]["codes_in_list"] == 367
    assert len(first["carc"]["added"]) == 367

    update = _run("--carc", str(X12 / "carc.csv"), "--data", data, "--apply")[
        "carc"
    ]

    assert update["codes_in_list"] == 407
    assert len(update["added"]) == 40
    assert {"278", "308", "P24", "P32"} <= set(update["added"])
    assert {"15", "138", "165", "168"} <= set(update["deactivated"])
    assert len(update["deactivated"]) == 5
    assert len(update["reworded"]) == 78
    assert update["missing_from_list"] == []
    again = _run("--carc", str(X12 / "carc.csv"), "--data", data)["carc"]
    assert again["added"] == again["deactivated"] == again["reworded"] == []


def test_successors_and_facts_are_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """
    The facts land in data/ (status, dates, successor, fingerprint) and
    never X12's wording.
    """
    _run("--carc", str(X12 / "carc.csv"), "--data", str(tmp_path), "--apply")
    text = (tmp_path / "carc" / "001-100.yaml").read_text()

    assert "code: '42'" in text
    assert "- '45'" in text
    assert "official_sha256:" in text
    assert "Charges exceed our fee schedule" not in text


def test_scheduled_stops_from_a_list_pass_the_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """
    The 2016 list announces stops ahead (CARC B5 is current with a stop
    date of 2016-05-01); the imported files pass the schema checked
    against that list's capture day, so a current code may keep a stop
    date still to come.
    """
    import datetime

    from denialkit._schema import check_code_file, load_yaml

    _run(
        "--carc",
        str(X12 / "carc_wpc_2016-03-07.csv"),
        "--data",
        str(tmp_path),
        "--apply",
    )
    files = sorted((tmp_path / "carc").glob("*.yaml"))
    documents = [load_yaml(f.read_text(), file=f.name) for f in files]

    b5 = next(r for d in documents for r in d["codes"] if r["code"] == "B5")
    assert (b5["status"], b5["stop"]) == ("current", datetime.date(2016, 5, 1))
    for file, document in zip(files, documents, strict=True):
        check_code_file(
            document, file=file.name, captured=datetime.date(2016, 3, 7)
        )
