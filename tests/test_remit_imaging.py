"""
The advanced imaging ranges: shipped data, lookups and the build script.
"""

from __future__ import annotations

import copy
import csv
import json
import pathlib
from importlib import resources
from typing import Any

import pytest
import yaml

from denialkit.remit import advanced_imaging, imaging_ranges
from denialkit.remit._build_imaging import (
    DEFAULT_DATA,
    ImagingDataError,
    build,
    main,
    render,
)

from .remit.independent import SAMPLES

REFERENCE_CSV = SAMPLES.parents[1] / "advanced-imaging-codes.csv"


def _data() -> Any:
    return yaml.safe_load(DEFAULT_DATA.read_text("utf-8"))


def test_shipped_json_is_built_from_the_yaml() -> None:
    """
    advanced_imaging.json is exactly what the YAML builds to; rebuild it
    with python -m denialkit.remit._build_imaging after editing the YAML.
    """
    shipped = (
        resources.files("denialkit.remit")
        .joinpath("advanced_imaging.json")
        .read_text("utf-8")
    )

    assert shipped == render(build(_data()))


def test_yaml_keeps_every_reference_row_with_its_source() -> None:
    """
    The YAML was seeded from the reference CSV: same ranges, modalities
    and source URLs.
    """
    with REFERENCE_CSV.open(encoding="utf-8") as stream:
        rows = {
            (r["code_from"], r["code_to"], r["modality"], r["source_url"])
            for r in csv.DictReader(stream)
        }

    ours = {
        (r["from"], r["to"], r["modality"], r["source_url"])
        for r in _data()["ranges"]
    }

    assert ours == rows
    assert len(imaging_ranges()) == len(rows) == 53


@pytest.mark.parametrize(
    ("code", "modality"),
    [
        ("70553", "MR"),
        ("72148", "MR"),
        ("70450", "CT"),
        ("74177", "CT"),
        ("78815", "PET"),
        ("78452", "NM"),
        ("0042T", "CT"),
        ("C8905", "MR"),
        ("g0288", "CT"),
        ("99213", None),
        ("77012", None),
        ("79005", None),
        ("G8905", None),
        ("D0120", None),
        ("0042", None),
        ("", None),
    ],
)
def test_codes_fall_in_their_modality(code: str, modality: str | None) -> None:
    """
    Codes match ranges of their own shape only; others are not imaging.
    """
    found = advanced_imaging(code)

    assert (found.modality if found else None) == modality


def test_every_range_has_a_source() -> None:
    """
    Each range names the page it rests on.
    """
    assert all(r.source_url.startswith("http") for r in imaging_ranges())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["ranges"][0].update(modality="XR"), "modality"),
        (lambda d: d["ranges"][0].update({"from": "7O450"}), "from"),
        (lambda d: d["ranges"][2].update({"from": "70490"}), "overlaps"),
        (lambda d: d["ranges"][0].update(source_url="somewhere"), "source"),
        (lambda d: d["ranges"][0].update(extra=1), "keys"),
        (lambda d: d.pop("retrieved"), "top level"),
    ],
)
def test_build_refuses_bad_rows(change: Any, message: str) -> None:
    """
    The build script names the file, row and field of a bad entry.
    """
    data = copy.deepcopy(_data())
    change(data)

    with pytest.raises(ImagingDataError, match=message):
        build(data)


def test_build_script_writes_the_json(tmp_path: pathlib.Path) -> None:
    """
    Running the script writes a JSON file with every range.
    """
    out = tmp_path / "imaging.json"

    status = main(["--out", str(out)])

    assert status == 0
    assert len(json.loads(out.read_text("utf-8"))["ranges"]) == 53
