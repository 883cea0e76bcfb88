"""
Tests for tools/build_release.py on a small invented data/ folder.
"""

from __future__ import annotations

import importlib.util
import pathlib
from typing import Any

import pytest

from denialkit import DataFileError

from .conftest import ROOT

_CODES = (
    "code_set: carc\n"
    "codes:\n"
    "- code: '1'\n"
    "  status: current\n"
    "  start: 2001-01-01\n"
    "  stop: 2026-01-05\n"  # 6
)


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location(
        "build_release", ROOT / "tools" / "build_release.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    return module


def _build(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, captured: str
) -> DataFileError:
    tool = _tool()
    data = tmp_path / "data"
    (data / "carc").mkdir(parents=True)
    (data / "release.yaml").write_text(
        "release: '2099.1'\n"
        "sources:\n"
        "  carc:\n"
        "    list: Invented list\n"
        f"    captured: {captured}\n"  # 5
    )
    (data / "carc" / "codes.yaml").write_text(_CODES)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.setattr(tool, "DATA", data)

    with pytest.raises(DataFileError) as info:
        tool.build(tmp_path / "out", "2099-01-01", check_only=True)

    return info.value


def test_a_quoted_captured_day_is_read_as_a_date(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    captured: '2026-08-17' in quotes is still the day the list was
    captured, so the status rule applies to the codes.
    """
    error = _build(tmp_path, monkeypatch, "'2026-08-17'")

    assert (error.file, error.line) == ("data/carc/codes.yaml", 6)
    assert "the CARC list was captured (2026-08-17)" in error.problem


@pytest.mark.parametrize(
    ("captured", "problem"),
    [
        ("2026-02-30", "the date 2026-02-30 does not exist"),
        ("'2026-02-30'", "the date 2026-02-30 does not exist"),
        ("'last summer'", "expected a date written YYYY-MM-DD"),
    ],
)
def test_a_captured_day_that_is_no_date_names_its_field(
    tmp_path: pathlib.Path,
    monkeypatch: pytest.MonkeyPatch,
    captured: str,
    problem: str,
) -> None:
    """
    An impossible or unreadable captured day in data/release.yaml is a
    DataFileError at its line and field, not a TypeError later.
    """
    error = _build(tmp_path, monkeypatch, captured)

    assert (error.file, error.line, error.field) == (
        "data/release.yaml",
        5,
        "sources.carc.captured",
    )
    assert error.problem.startswith(problem)
