"""
Build a frozen dataset release from ``data/``.

Usage::

    python tools/build_release.py [--check] [--out DIR] [--date YYYY-MM-DD]

Reads ``data/release.yaml`` for the release id and source-list dates,
validates every file under ``data/`` against the schema (unknown keys,
duplicate codes, bad dates and dangling references are errors naming the
file, line and field) and writes ``<id>/codes.json`` and
``<id>/editorial.json`` into ``src/denialkit/releases/``, adding the
release with the sha256 of each file to ``manifest.json``.

A release that exists is never rewritten: bump ``release`` in
``data/release.yaml`` first.  ``--check`` validates only.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import pathlib
import re
import sys
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from denialkit import _schema  # noqa: E402
from denialkit._release import FIELDS, FORMAT  # noqa: E402
from denialkit.exceptions import DataFileError  # noqa: E402

DATA = ROOT / "data"
RELEASES = ROOT / "src" / "denialkit" / "releases"
CODE_SETS = ("carc", "rarc", "group", "specialty")


def _load(path: pathlib.Path) -> Any:
    rel = str(path.relative_to(ROOT))

    return _schema.load_yaml(path.read_text(encoding="utf-8"), file=rel)


def read_codes(
    where: dict[str, str], lists: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for code_set in CODE_SETS:
        # A current code may carry only a stop date after this day.
        captured = lists.get(code_set, {}).get("captured")
        for path in sorted((DATA / code_set).glob("*.yaml")):
            rel = str(path.relative_to(ROOT))
            document = _load(path)
            _schema.check_code_file(document, file=rel, captured=captured)
            if document["code_set"] != code_set:
                raise DataFileError(
                    f"code_set is {document['code_set']!r} but the file is"
                    f" in data/{code_set}/",
                    file=rel,
                    field="code_set",
                )
            for record in document["codes"]:
                key = f"{code_set}:{record['code']}"
                if key in records:
                    raise DataFileError(
                        f"{key} is also defined in {where[key]}",
                        file=rel,
                        line=record.lines.get("code"),
                        field="code",
                    )
                records[key] = record
                where[key] = rel

    return records


def read_sources() -> dict[str, dict[str, Any]]:
    sources: dict[str, dict[str, Any]] = {}
    for path in sorted((DATA / "sources").glob("*.yaml")):
        rel = str(path.relative_to(ROOT))
        document = _load(path)
        _schema.check_sources(document, file=rel)
        for source in document["sources"]:
            if source["id"] in sources:
                raise DataFileError(
                    f"source id {source['id']!r} is defined twice",
                    file=rel,
                    line=source.lines.get("id"),
                    field="id",
                )
            sources[source["id"]] = source

    return sources


def read_editorial(
    records: dict[str, Any], sources: dict[str, Any]
) -> dict[str, Any]:
    editorial: dict[str, Any] = {}
    for path in sorted((DATA / "editorial").glob("*/*.yaml")):
        rel = str(path.relative_to(ROOT))
        document = _load(path)
        _schema.check_editorial(document, file=rel)
        key = f"{document['code_set']}:{document['code']}"
        if path.parent.name != document["code_set"] or path.stem != str(
            document["code"]
        ):
            expected = f"{document['code_set']}/{document['code']}.yaml"
            raise DataFileError(
                f"file name does not match {key}; name it"
                f" data/editorial/{expected}",
                file=rel,
            )
        if key not in records:
            raise DataFileError(
                f"{key} is not a code in data/", file=rel, field="code"
            )
        _check_references(document, records, sources, rel)
        editorial[key] = document

    return editorial


def _check_references(
    document: Any, records: dict[str, Any], sources: dict[str, Any], rel: str
) -> None:
    related = document.get("related", {})
    for code_set in ("carc", "rarc", "group"):
        for index, code in enumerate(related.get(code_set, [])):
            if f"{code_set}:{code}" not in records:
                raise DataFileError(
                    f"{code_set.upper()} {code} is not a known code",
                    file=rel,
                    field=f"related.{code_set}[{index}]",
                )
    cited = [
        (f"facts[{i}].source", fact["source"], fact)
        for i, fact in enumerate(document.get("facts", []))
    ]
    for i, revision in enumerate(document.get("revisions", [])):
        cited += [
            (f"revisions[{i}].sources[{j}]", source, revision)
            for j, source in enumerate(revision.get("sources", []))
        ]
    for field, source, node in cited:
        if source not in sources:
            raise DataFileError(
                f"source {source!r} is not defined in data/sources/",
                file=rel,
                line=node.lines.get("source") or node.lines.get("sources"),
                field=field,
            )


def check_record_references(
    records: dict[str, Any], where: dict[str, str]
) -> None:
    for key, record in records.items():
        code_set = key.partition(":")[0]
        for code in record.get("replaced_by", []):
            target = code if ":" in code else f"{code_set}:{code}"
            if target not in records:
                raise DataFileError(
                    f"{key} is replaced_by {code}, which is not a"
                    f" {code_set.upper()} code",
                    file=where[key],
                    line=record.lines.get("replaced_by"),
                    field=f"{key}.replaced_by",
                )
        for mapping in record.get("maps_to", []):
            refs = [("carc", mapping["carc"])]
            refs += [("rarc", r) for r in mapping.get("rarc", [])]
            for ref_set, code in refs:
                if f"{ref_set}:{code}" not in records:
                    raise DataFileError(
                        f"{key} maps to {ref_set.upper()} {code}, which is"
                        " not a known code",
                        file=where[key],
                        line=record.lines.get("maps_to"),
                        field=f"{key}.maps_to",
                    )


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def row(
    record: dict[str, Any], code_set: str, has_editorial: bool
) -> list[Any]:
    values = {
        "code_set": code_set,
        "replaced_by": record.get("replaced_by", []),
        "maps_to": [
            {k: v for k, v in dict(m).items()}
            for m in record.get("maps_to", [])
        ],
        "aliases": record.get("aliases", []),
        "keywords": record.get("keywords", []),
        "source_url": record.get("source"),
        "has_editorial": 1 if has_editorial else 0,
    }

    return [
        values[name] if name in values else _iso(record.get(name))
        for name in FIELDS
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]

    return _iso(value)


def _dump(document: Any) -> bytes:
    text = json.dumps(
        document, ensure_ascii=False, separators=(",", ":"), sort_keys=False
    )

    return text.encode("utf-8") + b"\n"


def _sort_key(key: str) -> tuple[int, str, int, str]:
    code_set, _, code = key.partition(":")
    # The pattern matches any text, the groups splitting a code like B15.
    found = re.fullmatch(r"([A-Z]*)(\d*)(.*)", code, re.DOTALL)
    assert found is not None
    prefix, number, rest = found.groups()

    return (CODE_SETS.index(code_set), prefix, int(number or 0), rest)


def _anything(v: Any, node: Any, key: Any, path: str) -> None:
    pass  # build() checks the release id with a message of its own


# data/release.yaml: the release id and, per code set, the list it comes
# from.  A captured day must be a real date, as the status rule of
# _schema.check_record compares stop dates with it.
_LIST_FIELDS: dict[str, _schema.Check] = {
    "list": _schema.text(),
    "captured": _schema.date(),
    "dates_as_of": _schema.date(),
    "note": _schema.text(),
}
_META_FIELDS: dict[str, _schema.Check] = {
    "release": _anything,
    "sources": _schema.nested(
        {},
        {code_set: _schema.nested({}, _LIST_FIELDS) for code_set in CODE_SETS},
    ),
}


def read_meta(path: pathlib.Path) -> Any:
    """
    Read and check ``data/release.yaml``; its dates become dates.
    """
    meta = _load(path)
    v = _schema.Validator(str(path.relative_to(ROOT)))
    v.mapping(meta, "", required=_META_FIELDS, optional={})
    v.raise_problems()

    return meta


def build(out: pathlib.Path, built: str, *, check_only: bool) -> str:
    meta = read_meta(DATA / "release.yaml")
    release = str(meta["release"])
    if not re.fullmatch(r"[0-9]{4}\.[0-9]+", release):
        raise DataFileError(
            f"release {release!r} is not CalVer YYYY.N",
            file="data/release.yaml",
            field="release",
        )
    where: dict[str, str] = {}
    records = read_codes(where, meta["sources"])
    check_record_references(records, where)
    sources = read_sources()
    editorial = read_editorial(records, sources)
    if check_only:
        print(
            f"data/ is valid: {len(records)} codes, {len(editorial)}"
            f" editorial files, {len(sources)} sources."
        )
        return release

    manifest_path = out / "manifest.json"
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest_path.exists()
        else {"format": FORMAT, "releases": {}}
    )
    if release in manifest["releases"] or (out / release).exists():
        raise SystemExit(
            f"Release {release} already exists and releases are frozen."
            " Set a new id in data/release.yaml to build another."
        )

    keys = sorted(records, key=_sort_key)
    codes = {
        "format": FORMAT,
        "release": release,
        "fields": list(FIELDS),
        "codes": {
            k: row(records[k], k.partition(":")[0], k in editorial)
            for k in keys
        },
    }
    used = sorted(
        {f["source"] for e in editorial.values() for f in e.get("facts", [])}
        | {
            s
            for e in editorial.values()
            for r in e.get("revisions", [])
            for s in r.get("sources", [])
        }
    )
    notes = {
        "format": FORMAT,
        "release": release,
        "sources": {
            s: _plain({k: v for k, v in sources[s].items() if k != "id"})
            for s in used
        },
        "codes": {
            k: _plain(
                {
                    f: v
                    for f, v in editorial[k].items()
                    if f not in ("code_set", "code")
                }
            )
            for k in sorted(editorial, key=_sort_key)
        },
    }

    folder = out / release
    folder.mkdir(parents=True)
    files = {}
    for part, document in (("codes", codes), ("editorial", notes)):
        raw = _dump(document)
        (folder / f"{part}.json").write_bytes(raw)
        files[part] = {
            "name": f"{release}/{part}.json",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "bytes": len(raw),
        }
    counts: dict[str, int] = {}
    for key in keys:
        counts[key.partition(":")[0]] = (
            counts.get(key.partition(":")[0], 0) + 1
        )
    manifest["releases"][release] = {
        "built": built,
        "files": files,
        "counts": counts,
        "editorial": len(editorial),
        "sources": _plain(meta["sources"]),
    }
    manifest_path.write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    version_file = ROOT / "src" / "denialkit" / "_version.py"
    if out == RELEASES:
        version_file.write_text(
            re.sub(
                r'LATEST_RELEASE = "[^"]*"',
                f'LATEST_RELEASE = "{release}"',
                version_file.read_text(encoding="utf-8"),
            ),
            encoding="utf-8",
        )
    print(f"Built release {release}: {counts}, {len(editorial)} editorial.")

    return release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", type=pathlib.Path, default=RELEASES)
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args(argv)

    try:
        build(args.out, args.date, check_only=args.check)
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
