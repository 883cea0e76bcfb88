"""
Read and write the YAML files under ``data/`` in one canonical layout.

Every script that edits ``data/`` goes through :func:`dump` so that diffs
stay small and reviewable: keys keep the order of :data:`FIELD_ORDER`,
lines wrap at 79 columns and dates stay ISO dates.
"""

from __future__ import annotations

import datetime
import pathlib
import sys
from typing import Any

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "src"))

from denialkit._codes import FIELDS

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"

# The order keys are written in; unknown keys are kept at the end so the
# schema check (tools/schema.py) can reject them with a clear message.
FIELD_ORDER = (
    "code",
    *FIELDS[2:7],
    "official_sha256",
    *FIELDS[7:17],
)


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def load(path: pathlib.Path) -> Any:
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=yaml.CSafeLoader)


def ordered(record: dict[str, Any]) -> dict[str, Any]:
    known = [key for key in FIELD_ORDER if key in record]
    rest = [key for key in record if key not in FIELD_ORDER]

    return {key: record[key] for key in known + rest}


def dump(path: pathlib.Path, document: dict[str, Any], header: str) -> None:
    if "codes" in document:
        document = {
            **document,
            "codes": [ordered(r) for r in document["codes"]],
        }
    text = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        width=79,
        allow_unicode=True,
        default_flow_style=False,
    )
    lines = "".join(
        f"# {line}\n" if line else "#\n" for line in header.splitlines()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(lines + text, encoding="utf-8")


def iso(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
