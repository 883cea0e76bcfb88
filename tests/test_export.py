"""
Tests for denialkit._export: JSON, CSV and FHIR exports.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

import denialkit
from denialkit._export import CANONICAL_URLS, export, fhir_bundle

CARC_URL = CANONICAL_URLS["carc"]


def _concept(bundle: dict[str, Any], code_set: str, code: str) -> Any:
    [system] = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["url"] == CANONICAL_URLS[code_set]
    ]

    return next(c for c in system["concept"] if c["code"] == code)


def _successors(concept: Any) -> list[Any]:
    return [
        p["valueCoding"]
        for p in concept["property"]
        if p["code"] == "replacedBy"
    ]


def test_a_rarc_replaced_by_a_carc_names_the_carc_system() -> None:
    """
    RARC M43's successor CARC 23 is a Coding in the CARC code system, not
    the code 'carc:23' of the RARC system.
    """
    bundle = fhir_bundle(denialkit.load("2026.2"))

    concept = _concept(bundle, "rarc", "M43")

    assert _successors(concept) == [{"system": CARC_URL, "code": "23"}]
    assert not [
        p
        for p in concept["property"]
        if p["code"] == "replacedBy" and "valueCode" in p
    ]


def test_a_successor_in_the_same_set_names_its_own_system() -> None:
    """
    CARC 42's successor 45 is a Coding in the CARC code system too.
    """
    bundle = fhir_bundle(denialkit.load("2026.2"))

    concept = _concept(bundle, "carc", "42")

    assert _successors(concept) == [{"system": CARC_URL, "code": "45"}]


@pytest.mark.parametrize("release", denialkit.releases())
def test_every_successor_is_a_code_of_its_system(release: str) -> None:
    """
    Every replacedBy is declared as a Coding and points at a code that
    the bundle's code system for that URL has.
    """
    bundle = fhir_bundle(denialkit.load(release))
    codes = {
        e["resource"]["url"]: {c["code"] for c in e["resource"]["concept"]}
        for e in bundle["entry"]
    }

    declared = {
        p["type"]
        for e in bundle["entry"]
        for p in e["resource"]["property"]
        if p["code"] == "replacedBy"
    }
    successors = [
        coding
        for e in bundle["entry"]
        for concept in e["resource"]["concept"]
        for coding in _successors(concept)
    ]

    assert declared == {"Coding"}
    assert successors
    assert all(c["code"] in codes[c["system"]] for c in successors)


def test_csv_and_json_keep_the_prefixed_successor() -> None:
    """
    The CSV and JSON exports write a successor in another code set as
    carc:23.
    """
    dataset = denialkit.load("2026.2")

    rows = csv.DictReader(io.StringIO(export(dataset, "csv")))
    data = json.loads(export(dataset, "json"))

    m43 = next(
        r for r in rows if (r["code_set"], r["code"]) == ("rarc", "M43")
    )
    assert m43["replaced_by"] == "carc:23"
    assert next(
        c["replaced_by"] for c in data["codes"] if c["code"] == "M43"
    ) == ["carc:23"]
