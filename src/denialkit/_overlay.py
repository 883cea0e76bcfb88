"""
Overlays: your own additions on top of a frozen release.

Two kinds:

- **Official X12 wording** from your own licensed copy of the lists
  (:meth:`Dataset.with_official_text`): records gain ``official_text``.
  denialkit never ships that wording; see the dataset licence.
- **Organisation overlays** (:meth:`Dataset.with_overlay`): a YAML file
  that adds payer-specific codes, aliases, keywords or editorial content,
  checked by the same schema as ``data/``.

The release itself is never changed; an overlay returns a new dataset
whose ``overlays`` names what was applied.
"""

from __future__ import annotations

import csv
import datetime
import os
from typing import TYPE_CHECKING, Any

import attrs

from . import _schema
from ._codes import DenialCode
from ._editorial import Editorial, RemitMapping, Source
from ._release import decode_editorial
from .exceptions import DataFileError

if TYPE_CHECKING:
    from ._dataset import Dataset

_OFFICIAL_FILES = {
    "carc": ("carc.csv",),
    "rarc": ("rarc.csv",),
    "group": ("group_codes.csv", "group.csv"),
}


@attrs.frozen(kw_only=True)
class OverlayReport:
    """
    What an overlay changed, and what it could not match.

    Added in 0.1.0.
    """

    source: str
    applied: int
    only_in_overlay: tuple[str, ...] = ()
    only_in_release: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.source}: applied to {self.applied} code(s)"
        if self.only_in_overlay:
            text += (
                f"; {len(self.only_in_overlay)} code(s) not in the release:"
                f" {', '.join(self.only_in_overlay[:10])}"
            )
        if self.only_in_release:
            text += (
                f"; {len(self.only_in_release)} release code(s) missing"
                f" from the overlay: {', '.join(self.only_in_release[:10])}"
            )

        return text


def read_official_text(path: str | os.PathLike[str]) -> dict[str, str]:
    """
    Read official wording from a folder of X12 list CSVs or one CSV.

    A folder holds ``carc.csv``, ``rarc.csv`` and/or ``group_codes.csv``
    (columns ``code`` and ``description``, others ignored).  A single file
    may also be a plain ``code,description`` CSV of one code set, named
    after it (``carc*.csv``, ``rarc*.csv``, ``group*.csv``).

    Raises:
        DataFileError: a file lacks the ``code`` or ``description`` column.
    """
    name = os.fspath(path)
    texts: dict[str, str] = {}
    if not os.path.exists(name):
        raise DataFileError(
            "not found; give the folder or CSV file of your X12 lists",
            file=name,
        )
    if os.path.isdir(name):
        for code_set, candidates in _OFFICIAL_FILES.items():
            for candidate in candidates:
                file = os.path.join(name, candidate)
                if os.path.exists(file):
                    texts.update(_read_csv(file, code_set))
                    break
        if not texts:
            raise DataFileError(
                "no carc.csv, rarc.csv or group_codes.csv in this folder",
                file=name,
            )
        return texts

    base = os.path.basename(name).lower()
    found = next(
        (s for s in ("carc", "rarc", "group") if base.startswith(s)), None
    )
    if found is None:
        raise DataFileError(
            "cannot tell the code set: name the file carc*.csv, rarc*.csv"
            " or group*.csv",
            file=name,
        )

    return _read_csv(name, found)


def _read_csv(file: str, code_set: str) -> dict[str, str]:
    texts = {}
    with open(file, encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        fields = reader.fieldnames or []
        for column in ("code", "description"):
            if column not in fields:
                raise DataFileError(
                    f"no {column!r} column; the header must include code"
                    " and description",
                    file=file,
                    line=1,
                )
        for row in reader:
            code = (row["code"] or "").strip().upper()
            if code:
                texts[f"{code_set}:{code}"] = " ".join(
                    (row["description"] or "").split()
                )

    return texts


def with_official_text(
    dataset: Dataset, path: str | os.PathLike[str]
) -> Dataset:
    """
    See :meth:`Dataset.with_official_text`.
    """
    texts = read_official_text(path)
    records = [
        record.replace(official_text=texts[record.key])
        for record in dataset
        if record.key in texts
    ]
    covered = {key.partition(":")[0] for key in texts}
    report = OverlayReport(
        source=f"official text from {os.fspath(path)}",
        applied=len(records),
        only_in_overlay=tuple(k for k in texts if k not in dataset),
        only_in_release=tuple(
            record.key
            for record in dataset
            if record.code_set in covered and record.key not in texts
        ),
    )

    return dataset._replace(records, report=report)


# Organisation overlays --------------------------------------------------

_RECORD_KEYS = {**_schema.CODE_FIELDS}


def check_overlay(path: str | os.PathLike[str]) -> Any:
    """
    Read and validate an organisation overlay file.

    Returns the parsed document.

    Raises:
        DataFileError: naming the file, line and field of the problem.
    """
    name, text = _schema.read_text(path)
    document = _schema.load_yaml(text, file=name)
    validator = _schema.Validator(name)
    validator.mapping(
        document,
        "",
        required={"name": _schema.text()},
        optional={
            "codes": _schema.listof(_overlay_record),
            "editorial": _schema.listof(_overlay_editorial),
            "sources": _schema.listof(
                _schema.nested(_schema.SOURCE_FIELDS, {})
            ),
        },
    )
    seen: dict[str, int] = {}
    for index, record in enumerate(document.get("codes", [])):
        key = f"{record['code_set']}:{record['code']}"
        if key in seen:
            validator.fail(
                f"{key} appears twice (first as codes[{seen[key]}])",
                record,
                "code",
                f"codes[{index}].code",
            )
        seen[key] = index
        start, stop = record.get("start"), record.get("stop")
        if start and stop and stop <= start:
            validator.fail(
                "stop date must be after the start date",
                record,
                "stop",
                f"codes[{index}].stop",
            )

    return document


def _overlay_record(
    v: _schema.Validator, node: Any, key: Any, path: str
) -> None:
    v.mapping(
        node[key],
        path,
        required={
            "code_set": _schema.choice(("carc", "rarc", "group", "specialty")),
            "code": _schema.code_text,
        },
        optional=_RECORD_KEYS,
    )


def _overlay_editorial(
    v: _schema.Validator, node: Any, key: Any, path: str
) -> None:
    v.mapping(
        node[key],
        path,
        required=_schema.EDITORIAL_REQUIRED,
        optional=_schema.EDITORIAL_OPTIONAL,
    )


def with_overlay(dataset: Dataset, path: str | os.PathLike[str]) -> Dataset:
    """
    See :meth:`Dataset.with_overlay`.
    """
    name = os.fspath(path)
    document = check_overlay(name)
    records: list[DenialCode] = []
    for index, raw in enumerate(document.get("codes", [])):
        records.append(_merge(dataset, raw, name, f"codes[{index}]"))

    sources = {
        s["id"]: Source(
            id=s["id"], title=s["title"], url=s["url"], read=s["read"]
        )
        for s in document.get("sources", [])
    }
    editorial: dict[str, Editorial] = {}
    for index, raw in enumerate(document.get("editorial", [])):
        key = f"{raw['code_set']}:{raw['code']}"
        if key in editorial:
            raise DataFileError(
                f"editorial for {key} appears twice",
                file=name,
                line=raw.lines.get("code"),
                field=f"editorial[{index}].code",
            )
        if key not in dataset and key not in {r.key for r in records}:
            raise DataFileError(
                f"editorial for {key}, which is neither in the release nor"
                " added by this overlay",
                file=name,
                field=f"editorial[{index}].code",
            )
        editorial[key] = _editorial(dataset, raw, sources, name, index)

    updated = []
    by_key = {record.key: record for record in records}
    for key, content in editorial.items():
        base = by_key.get(key) or dataset._record(key)
        by_key[key] = base.replace(editorial_loader=_constant(content))
    updated = list(by_key.values())
    report = OverlayReport(
        source=f"overlay {document['name']!r} ({name})", applied=len(updated)
    )

    return dataset._replace(updated, report=report)


def _constant(content: Editorial) -> Any:
    def load() -> Editorial:
        return content

    return load


def _merge(dataset: Dataset, raw: Any, file: str, path: str) -> DenialCode:
    key = f"{raw['code_set']}:{raw['code']}"
    fields = {k: v for k, v in raw.items() if k not in ("code_set", "code")}
    for unused in ("official_sha256", "needs_review"):
        fields.pop(unused, None)
    if "source" in fields:
        fields["source_url"] = fields.pop("source")
    for name in ("replaced_by", "aliases", "keywords"):
        if name in fields:
            fields[name] = tuple(fields[name])
    if "maps_to" in fields:
        fields["maps_to"] = tuple(
            RemitMapping(
                group=m["group"],
                carc=m["carc"],
                rarc=tuple(m.get("rarc", ())),
                when=m.get("when", ""),
            )
            for m in fields["maps_to"]
        )
    if key in dataset:
        base = dataset._record(key)
        for name in ("aliases", "keywords"):
            if name in fields:
                fields[name] = tuple(
                    dict.fromkeys((*getattr(base, name), *fields[name]))
                )
        return base.replace(**fields)
    if "status" not in fields:
        raise DataFileError(
            f"{key} is a new code, so it needs a status",
            file=file,
            line=raw.lines.get("code"),
            field=f"{path}.status",
        )

    return DenialCode(
        code_set=raw["code_set"],
        code=raw["code"],
        release=dataset.release,
        **fields,
    )


def _editorial(
    dataset: Dataset,
    raw: Any,
    sources: dict[str, Source],
    file: str,
    index: int,
) -> Editorial:
    known = dict(dataset._all_sources())
    known.update(sources)
    cited = [f["source"] for f in raw.get("facts", [])]
    cited += [
        s for r in raw.get("revisions", []) for s in r.get("sources", [])
    ]
    for source in cited:
        if source not in known:
            raise DataFileError(
                f"source {source!r} is not defined; add it under sources:",
                file=file,
                field=f"editorial[{index}]",
            )
    plain = _iso(raw)

    return decode_editorial(plain, known)


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()

    return value
