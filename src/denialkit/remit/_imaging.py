"""
Advanced diagnostic imaging procedure codes: CT, MR, PET, nuclear medicine.

The ranges are data, edited in ``data/imaging/advanced-imaging.yaml`` and
shipped as ``advanced_imaging.json`` beside this module (rebuild it with
``python -m denialkit.remit._build_imaging``).  The definition follows
MIPPA 2008 as CMS applies it to advanced diagnostic imaging (CMS's
accreditation page, cited as ``definition`` in that data file); each
range names its own source.

Known limits: the ranges span some unassigned numbers, and imaging codes
created after the cited sources are not listed, so they read as not
advanced imaging.
"""

from __future__ import annotations

import bisect
import functools
import json
from importlib import resources
from typing import Any, Final, Literal

import attrs

Modality = Literal["CT", "MR", "PET", "NM"]
MODALITIES: Final[tuple[Modality, ...]] = ("CT", "MR", "PET", "NM")
DATA_FILE: Final = "advanced_imaging.json"


@attrs.frozen(kw_only=True)
class ImagingRange:
    """
    An inclusive range of procedure codes of one imaging modality.

    Added in 0.1.0.
    """

    first: str
    last: str
    modality: Modality
    note: str
    source_url: str


def shape(code: str) -> str:
    """
    The pattern of digits (``9``) and letters (``A``) of a code.

    Codes are compared only with ranges of the same shape, so a Category
    III code never falls inside a CPT range.

    >>> shape("0042T"), shape("G0288"), shape("70553")
    ('9999A', 'A9999', '99999')
    """
    return "".join("9" if char.isdigit() else "A" for char in code)


@functools.cache
def _index() -> dict[str, tuple[list[str], list[ImagingRange]]]:
    raw = json.loads(
        resources.files(__package__).joinpath(DATA_FILE).read_text("utf-8")
    )
    index: dict[str, tuple[list[str], list[ImagingRange]]] = {}
    for row in sorted(raw["ranges"], key=lambda row: row["from"]):
        firsts, ranges = index.setdefault(shape(row["from"]), ([], []))
        firsts.append(row["from"])
        ranges.append(_range(row))

    return index


def _range(row: dict[str, Any]) -> ImagingRange:
    return ImagingRange(
        first=row["from"],
        last=row["to"],
        modality=row["modality"],
        note=row["note"],
        source_url=row["source_url"],
    )


def imaging_ranges() -> list[ImagingRange]:
    """
    Every advanced imaging range, in code order within each shape.

    Added in 0.1.0.
    """
    return [
        item for _, (_, ranges) in sorted(_index().items()) for item in ranges
    ]


@functools.lru_cache(maxsize=4096)
def advanced_imaging(code: str) -> ImagingRange | None:
    """
    The advanced imaging range a procedure code falls in, if any.

    Args:
        code: A CPT or HCPCS code such as ``"70553"``; case does not
            matter, modifiers must not be attached.

    >>> advanced_imaging("70553").modality
    'MR'
    >>> advanced_imaging("99213") is None
    True

    Added in 0.1.0.
    """
    code = code.strip().upper()
    found = _index().get(shape(code))
    if found is None:
        return None
    firsts, ranges = found
    at = bisect.bisect_right(firsts, code) - 1
    if at >= 0 and code <= ranges[at].last:
        return ranges[at]

    return None
