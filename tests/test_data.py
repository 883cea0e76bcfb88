"""
Invariants over the whole dataset and its source in data/.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pytest

import denialkit

from .conftest import ROOT, X12

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
RUN = 8


def _official() -> dict[str, str]:
    texts = {}
    for code_set, name in (
        ("carc", "carc.csv"),
        ("rarc", "rarc.csv"),
        ("group", "group_codes.csv"),
    ):
        with (X12 / name).open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                texts[f"{code_set}:{row['code']}"] = row["description"]

    return texts


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())

    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.mark.parametrize("release", denialkit.releases())
def test_no_title_or_summary_copies_x12_wording(release: str) -> None:
    """
    No title or summary shares a run of 8 consecutive words with X12's
    official description of the same code (shorter texts are exempt).
    """
    official = _official()
    copied = []
    for record in denialkit.load(release):
        text = official.get(record.key)
        if text is None or len(_WORD.findall(text.lower())) < RUN:
            continue
        theirs = _shingles(text)
        for field in (record.title, record.summary):
            if field and _shingles(field) & theirs:
                copied.append(record.key)

    assert copied == []


def test_newest_release_has_our_words_for_every_code() -> None:
    """
    Every record of the newest release has our title, summary and category.
    """
    missing = [
        r.key
        for r in denialkit.load()
        if not (r.title and r.summary and r.category)
    ]

    assert missing == []


def test_rarcs_say_supplemental_or_alert() -> None:
    """
    RARCs are alerts exactly when X12's text starts with "Alert:".
    """
    official = _official()
    for record in denialkit.load().codes("rarc"):
        is_alert = official[record.key].startswith("Alert")
        assert record.remark_type == (
            "alert" if is_alert else "supplemental"
        ), record.key


def test_carc_adjustment_classification() -> None:
    """
    Every CARC is classified; routine cost sharing needs no appeal advice
    and is not a denial; contractual write-offs are not denials.
    """
    dataset = denialkit.load()

    assert all(r.adjustment for r in dataset.codes("carc"))
    for code in ("1", "2", "3"):
        record = dataset.get("carc", code)
        assert record.adjustment == "patient_share"
        assert record.editorial is None
    assert dataset.get("carc", "45").adjustment == "contractual"
    for code in ("50", "197", "29", "16", "11", "39", "167"):
        assert dataset.get("carc", code).adjustment == "denial"


def test_every_current_denial_carc_has_full_guidance() -> None:
    """
    Each current denial-type CARC carries the editorial layer with the
    minimum counts, and every fact names a source.
    """
    dataset = denialkit.load()
    denials = dataset.filter(
        code_set="carc", status="current", adjustment="denial"
    )

    assert len(denials) > 100
    for record in denials:
        e = record.editorial
        assert e is not None, record.key
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", e.explanation) if s]
        assert 2 <= len(sentences) <= 5, record.key
        assert len(e.common_causes) >= 3
        assert len(e.prevention) >= 3
        assert len(e.appeal.arguments) >= 2
        assert len(e.appeal.evidence) >= 2
        assert e.appeal.letter_argument
        for fact in e.facts:
            assert fact.source.url.startswith("http"), record.key


def test_specialty_codes_have_guidance_and_remit_mappings() -> None:
    """
    Every specialty code maps to real CARC/RARC codes and has guidance.
    """
    dataset = denialkit.load()
    specialty = dataset.codes("specialty")

    assert len(specialty) >= 38
    for record in specialty:
        assert record.editorial is not None, record.key
        assert record.maps_to, record.key
        for mapping in record.maps_to:
            assert f"carc:{mapping.carc}" in dataset
            for remark in mapping.rarc:
                assert f"rarc:{remark}" in dataset


def test_r2_reflects_2026_facts_with_sources() -> None:
    """
    R2's guidance states that the CMS imaging AUC program was rescinded,
    cites ACR Appropriateness Criteria and the 2026 decision clocks, and
    its revision history explains the change with sources.
    """
    r2 = denialkit.lookup("R2").record
    e = r2.editorial
    assert e is not None

    facts = " ".join(f.statement for f in e.facts)
    assert "AUC" in facts or "Appropriate Use Criteria" in facts
    assert "ACR" in facts
    assert "72" in facts and "7" in facts
    assert any(f.uncertain for f in e.facts)
    assert e.revisions
    assert all(rev.sources for rev in e.revisions if rev.previous)
    assert r2.maps_to and {m.carc for m in r2.maps_to} >= {"50", "197"}


def test_deactivated_codes_keep_successors() -> None:
    """
    Successors named by the lists are kept: 42 -> 45, 138 -> 285/286.
    """
    dataset = denialkit.load()

    assert dataset.get("carc", "42").replaced_by == ("45",)
    assert set(dataset.get("carc", "138").replaced_by) == {"285", "286"}


def test_data_source_is_valid() -> None:
    """
    tools/build_release.py --check accepts data/ as it is.
    """
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_release.py"), "--check"],
        capture_output=True,
        text=True,
    )

    assert out.returncode == 0, out.stderr


def test_own_words_check_passes_on_data() -> None:
    """
    tools/check_own_words.py finds no 8-word run copied into data/.
    """
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_own_words.py"), str(X12)],
        capture_output=True,
        text=True,
    )

    assert out.returncode == 0, out.stdout
