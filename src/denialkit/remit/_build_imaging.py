"""
Build ``advanced_imaging.json`` from ``data/imaging/advanced-imaging.yaml``.

Run from a checkout::

    python -m denialkit.remit._build_imaging [--data YAML] [--out JSON]

Every row is checked before anything is written: known keys only, codes
of one of the three shapes, ``from`` not after ``to`` and of the same
shape, a known modality, a source URL, and no two ranges overlapping.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from collections.abc import Sequence
from typing import Any, Final

from ._imaging import DATA_FILE, MODALITIES, shape

_ROOT: Final = pathlib.Path(__file__).resolve().parents[3]
DEFAULT_DATA: Final = _ROOT / "data" / "imaging" / "advanced-imaging.yaml"
DEFAULT_OUT: Final = pathlib.Path(__file__).resolve().parent / DATA_FILE
_SHAPES: Final = ("99999", "9999A", "A9999")
_ROW_KEYS: Final = frozenset({"from", "to", "modality", "note", "source_url"})
_TOP_KEYS: Final = frozenset({"source", "retrieved", "definition", "ranges"})


class ImagingDataError(ValueError):
    """
    A row of the imaging YAML that cannot be built.
    """


def build(data: Any, *, file: str = "advanced-imaging.yaml") -> dict[str, Any]:
    """
    Check the loaded YAML and return the JSON document to ship.

    Raises:
        ImagingDataError: naming the file, the row and the field at fault.
    """
    if not isinstance(data, dict) or set(data) != _TOP_KEYS:
        raise ImagingDataError(
            f"{file}: the top level must have exactly the keys"
            f" {sorted(_TOP_KEYS)}."
        )
    rows = [_row(row, file, at) for at, row in enumerate(data["ranges"])]
    rows.sort(key=lambda row: (row["from"], row["to"]))
    _check_overlaps(rows, file)

    return {
        "source": str(data["source"]),
        "retrieved": str(data["retrieved"]),
        "definition": str(data["definition"]),
        "ranges": rows,
    }


def _row(row: Any, file: str, at: int) -> dict[str, str]:
    where = f"{file}: ranges[{at}]"
    if not isinstance(row, dict) or set(row) != _ROW_KEYS:
        raise ImagingDataError(
            f"{where}: a row has exactly the keys {sorted(_ROW_KEYS)}."
        )
    first, last = str(row["from"]).upper(), str(row["to"]).upper()
    for field, code in (("from", first), ("to", last)):
        if shape(code) not in _SHAPES:
            raise ImagingDataError(
                f"{where}.{field}: {code!r} is not a five-character CPT,"
                " Category III or HCPCS code."
            )
    if shape(first) != shape(last) or first > last:
        raise ImagingDataError(
            f"{where}: 'from' {first!r} and 'to' {last!r} must have the same"
            " shape, 'from' first."
        )
    if row["modality"] not in MODALITIES:
        raise ImagingDataError(
            f"{where}.modality: use one of {', '.join(MODALITIES)}."
        )
    if not str(row["source_url"]).startswith(("https://", "http://")):
        raise ImagingDataError(f"{where}.source_url: give the source's URL.")

    return {
        "from": first,
        "to": last,
        "modality": row["modality"],
        "note": str(row["note"]),
        "source_url": str(row["source_url"]),
    }


def _check_overlaps(rows: Sequence[dict[str, str]], file: str) -> None:
    last_of: dict[str, dict[str, str]] = {}
    for row in rows:
        before = last_of.get(shape(row["from"]))
        if before is not None and row["from"] <= before["to"]:
            raise ImagingDataError(
                f"{file}: range {row['from']}-{row['to']} overlaps"
                f" {before['from']}-{before['to']}; merge or split them."
            )
        last_of[shape(row["from"])] = row


def render(document: dict[str, Any]) -> str:
    """
    The JSON text written for *document*, one range per line.
    """
    rows = ",\n".join(
        "  " + json.dumps(row, ensure_ascii=False)
        for row in document["ranges"]
    )
    head = {key: value for key, value in document.items() if key != "ranges"}
    header = json.dumps(head, ensure_ascii=False, indent=1)[:-2]

    return f'{header},\n "ranges": [\n{rows}\n ]\n}}\n'


def main(argv: Sequence[str] | None = None) -> int:
    import yaml

    parser = argparse.ArgumentParser(
        prog="python -m denialkit.remit._build_imaging",
        description="Build the shipped advanced imaging ranges from YAML.",
    )
    parser.add_argument("--data", type=pathlib.Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        data = yaml.safe_load(args.data.read_text("utf-8"))
        document = build(data, file=str(args.data))
    except (OSError, ImagingDataError, yaml.YAMLError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.out.write_text(render(document), "utf-8")
    print(f"wrote {len(document['ranges'])} ranges to {args.out}")

    return 0


if __name__ == "__main__":
    sys.exit(main())
