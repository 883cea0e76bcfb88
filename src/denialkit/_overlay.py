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
import re
from typing import TYPE_CHECKING, Any

import attrs

from . import _schema
from ._codes import CODE_SETS, DenialCode
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
# In a folder, a list may also be named after its code set, a separator
# and a date or version: carc-2026-11.csv, RARC_2026.csv, group v3.csv.
_DATED_NAME = re.compile(
    r"(?P<code_set>carc|rarc|group(?:_codes)?)"
    r"(?:[-_ .]v?[0-9]+(?:[-_.][0-9]+)*)?\.csv",
    re.ASCII | re.IGNORECASE,
)


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
    (columns ``code`` and ``description``, others ignored).  Instead of
    the plain name, a code set's file may add a separator and a date or
    version after the code set, such as ``carc-2026-11.csv`` or
    ``rarc_2026.csv``, if the folder has only one such file for that code
    set; the plain name wins when both are there.  A single file may also
    be given itself, named after its code set (``carc*.csv``,
    ``rarc*.csv``, ``group*.csv``).

    Raises:
        DataFileError: nothing to read, two files for one code set, a file
            or folder that cannot be read, a file that is not UTF-8 CSV,
            or a file without the ``code`` or ``description`` column.
    """
    name = os.fspath(path)
    texts: dict[str, str] = {}
    if not os.path.exists(name):
        raise DataFileError(
            "not found; give the folder or CSV file of your X12 lists",
            file=name,
        )
    if os.path.isdir(name):
        files = {
            code_set: _official_file(name, code_set)
            for code_set in _OFFICIAL_FILES
        }
        if not any(files.values()):
            raise DataFileError(
                "no CSV file of a code list in this folder; name them"
                " carc.csv, rarc.csv and group_codes.csv, or write the code"
                " set, a separator and a date (carc-2026-11.csv)",
                file=name,
            )
        for code_set, file in files.items():
            if file is not None:
                texts.update(_read_csv(file, code_set))
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


def _official_file(folder: str, code_set: str) -> str | None:
    for candidate in _OFFICIAL_FILES[code_set]:
        file = os.path.join(folder, candidate)
        if os.path.isfile(file):
            return file

    try:
        entries = os.listdir(folder)
    except OSError as exc:
        raise DataFileError(
            f"cannot list the folder ({exc.strerror}); check that you may"
            " read it",
            file=folder,
        ) from None
    named = sorted(
        entry
        for entry in entries
        if _list_of(entry) == code_set
        and os.path.isfile(os.path.join(folder, entry))
    )
    if len(named) > 1:
        raise DataFileError(
            f"{len(named)} files could hold the"
            f" {_schema.CODE_SET_NAMES[code_set]} list: {', '.join(named)}."
            " Keep only one of them in the folder, or rename the one to use"
            f" {_OFFICIAL_FILES[code_set][0]}",
            file=folder,
        )

    return os.path.join(folder, named[0]) if named else None


def _list_of(name: str) -> str | None:
    # The code set whose list a file in a folder holds, from its name.
    found = _DATED_NAME.fullmatch(name)
    if found is None:
        return None

    return found["code_set"].lower().partition("_")[0]


def _read_csv(file: str, code_set: str) -> dict[str, str]:
    try:
        with open(file, encoding="utf-8-sig", newline="") as stream:
            return _read_rows(csv.DictReader(stream), file, code_set)
    except OSError as exc:
        raise DataFileError(
            f"cannot read the file ({exc.strerror})", file=file
        ) from None
    except UnicodeDecodeError:
        raise DataFileError(
            "is not UTF-8 text; save it as UTF-8 (in Excel: Save As, CSV"
            " UTF-8) and load it again",
            file=file,
        ) from None
    except csv.Error as exc:
        raise DataFileError(
            f"is not a CSV file denialkit can read ({exc}); save it again"
            " as CSV",
            file=file,
        ) from None


def _read_rows(
    reader: csv.DictReader[str], file: str, code_set: str
) -> dict[str, str]:
    fields = reader.fieldnames or []
    for column in ("code", "description"):
        if column not in fields:
            raise DataFileError(
                f"no {column!r} column; the header must include code and"
                " description",
                file=file,
                line=1,
            )
    texts = {}
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


def check_overlay(
    path: str | os.PathLike[str], dataset: Dataset | None = None
) -> Any:
    """
    Read and validate an organisation overlay file.

    The whole file is checked against the schema.  With *dataset*, it is
    also checked against that release: a new code needs a status, the
    status and dates a code ends up with must agree, editorial content
    must be for a code the release has or the overlay adds, and every
    source it cites must be defined.

    Returns the parsed document.

    Raises:
        DataFileError: naming the file, line and field of every problem,
            in file order.
    """
    name, text = _schema.read_text(path)
    validator = _schema.Validator(name)
    document = _schema.load_yaml(text, file=name, problems=validator.problems)
    if validator.mapping(
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
    ):
        _check_codes(validator, document, dataset)
        _check_sources(validator, document)
        _check_editorial(validator, document, dataset)
    validator.raise_problems()

    return document


def _overlay_record(
    validator: _schema.Validator, node: Any, key: Any, path: str
) -> None:
    validator.mapping(
        node[key],
        path,
        required={
            "code_set": _schema.choice(("carc", "rarc", "group", "specialty")),
            "code": _schema.code_text,
        },
        optional=_RECORD_KEYS,
        within=(node, key),
    )


def _overlay_editorial(
    validator: _schema.Validator, node: Any, key: Any, path: str
) -> None:
    validator.mapping(
        node[key],
        path,
        required=_schema.EDITORIAL_REQUIRED,
        optional=_schema.EDITORIAL_OPTIONAL,
        within=(node, key),
    )


def _entries(document: Any, name: str) -> list[tuple[int, Any]]:
    # The well-formed entries of one list; the schema has already noted
    # everything else.
    items = _list(document.get(name))

    return [
        (i, item) for i, item in enumerate(items) if isinstance(item, dict)
    ]


def _key(entry: Any) -> str | None:
    code_set, code = entry.get("code_set"), entry.get("code")
    if code_set not in CODE_SETS or not isinstance(code, str):
        return None

    return f"{code_set}:{code}"


def _check_codes(
    validator: _schema.Validator, document: Any, dataset: Dataset | None
) -> None:
    seen: dict[str, int] = {}
    for index, record in _entries(document, "codes"):
        path = f"codes[{index}]"
        key = _key(record)
        if key is None:
            continue
        if key in seen:
            validator.fail(
                f"{key} appears twice (first as codes[{seen[key]}])",
                record,
                "code",
                f"{path}.code",
            )
        seen.setdefault(key, index)
        inherited = {}
        if dataset is not None and key in dataset:
            base = dataset._record(key)
            inherited = {
                "status": base.status,
                "start": base.start,
                "stop": base.stop,
            }
        elif dataset is not None and "status" not in record:
            validator.fail(
                f"{key} is not in release {dataset.release}, so as a new"
                " code it needs a status",
                record,
                "code",
                f"{path}.status",
            )
        _schema.check_record(
            validator,
            record["code_set"],
            record,
            path,
            captured=_captured(dataset, record["code_set"]),
            inherited=inherited,
        )


def _captured(dataset: Dataset | None, code_set: str) -> datetime.date | None:
    if dataset is None:
        return None
    captured = dataset.source_lists.get(code_set, {}).get("captured")

    return _schema.as_date(captured)


def _check_sources(validator: _schema.Validator, document: Any) -> None:
    seen: dict[str, int] = {}
    for index, source in _entries(document, "sources"):
        source_id = source.get("id")
        if not isinstance(source_id, str):
            continue
        if source_id in seen:
            validator.fail(
                f"source id {source_id!r} is defined twice (first as"
                f" sources[{seen[source_id]}])",
                source,
                "id",
                f"sources[{index}].id",
            )
        seen.setdefault(source_id, index)


def _check_editorial(
    validator: _schema.Validator, document: Any, dataset: Dataset | None
) -> None:
    entries = _entries(document, "editorial")
    if not entries:
        return

    added = {_key(record) for _, record in _entries(document, "codes")}
    known: set[str] | None = None
    if dataset is not None:
        known = set(dataset._all_sources())
        known.update(
            source["id"]
            for _, source in _entries(document, "sources")
            if isinstance(source.get("id"), str)
        )
    seen: dict[str, int] = {}
    for index, raw in entries:
        path = f"editorial[{index}]"
        key = _key(raw)
        if key in seen:
            validator.fail(
                f"editorial for {key} appears twice (first as"
                f" editorial[{seen[key]}])",
                raw,
                "code",
                f"{path}.code",
            )
        if key is not None:
            seen.setdefault(key, index)
        if (
            dataset is not None
            and key is not None
            and key not in dataset
            and key not in added
        ):
            validator.fail(
                f"editorial for {key}, which is neither in release"
                f" {dataset.release} nor added by this overlay",
                raw,
                "code",
                f"{path}.code",
            )
        if known is not None:
            for node, at, field, source in _citations(raw, path):
                if source not in known:
                    validator.fail(
                        f"source {source!r} is not defined; add it under"
                        " sources:",
                        node,
                        at,
                        field,
                    )


def _citations(raw: Any, path: str) -> list[tuple[Any, Any, str, str]]:
    # Each cited source id as (node, key in node, field path, id).
    cited: list[tuple[Any, Any, str, str]] = []
    for i, fact in enumerate(_list(raw.get("facts"))):
        if isinstance(fact, dict) and isinstance(fact.get("source"), str):
            field = f"{path}.facts[{i}].source"
            cited.append((fact, "source", field, fact["source"]))
    for i, revision in enumerate(_list(raw.get("revisions"))):
        if not isinstance(revision, dict):
            continue
        sources = _list(revision.get("sources"))
        for j, source in enumerate(sources):
            if isinstance(source, str):
                field = f"{path}.revisions[{i}].sources[{j}]"
                cited.append((sources, j, field, source))

    return cited


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def with_overlay(dataset: Dataset, path: str | os.PathLike[str]) -> Dataset:
    """
    See :meth:`Dataset.with_overlay`.
    """
    name = os.fspath(path)

    return apply_overlay(dataset, check_overlay(name, dataset), name)


def apply_overlay(dataset: Dataset, document: Any, name: str) -> Dataset:
    """
    Apply an overlay that :func:`check_overlay` has read from *name*.

    *document* must have been checked against *dataset*'s release.
    """
    records = [_merge(dataset, raw) for raw in document.get("codes", [])]
    sources = {
        s["id"]: Source(
            id=s["id"], title=s["title"], url=s["url"], read=s["read"]
        )
        for s in document.get("sources", [])
    }
    editorial = {
        f"{raw['code_set']}:{raw['code']}": _editorial(dataset, raw, sources)
        for raw in document.get("editorial", [])
    }

    by_key = {record.key: record for record in records}
    for key, content in editorial.items():
        base = by_key.get(key) or dataset._record(key)
        by_key[key] = base.replace(editorial_loader=_constant(content))
    report = OverlayReport(
        source=f"overlay {document['name']!r} ({name})", applied=len(by_key)
    )

    return dataset._replace(by_key.values(), report=report)


def _constant(content: Editorial) -> Any:
    def load() -> Editorial:
        return content

    return load


def _merge(dataset: Dataset, raw: Any) -> DenialCode:
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

    return DenialCode(
        code_set=raw["code_set"],
        code=raw["code"],
        release=dataset.release,
        **fields,
    )


def _editorial(
    dataset: Dataset, raw: Any, sources: dict[str, Source]
) -> Editorial:
    known = dict(dataset._all_sources())
    known.update(sources)

    return decode_editorial(_iso(raw), known)


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()

    return value
