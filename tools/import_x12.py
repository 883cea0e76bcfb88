"""
Apply an X12 CARC/RARC/group code-list publication to ``data/``.

Usage::

    python tools/import_x12.py DIR [--apply] [--json]

DIR holds the lists in the layout of the reference copies: ``carc*.csv``
and ``rarc*.csv`` with columns ``code,description,start_date,
last_modified,stop_date,notes,status`` (extra columns are ignored) and
optionally ``group_codes.csv``.  Pass single files with ``--carc``,
``--rarc`` and ``--group`` instead when the names differ.

The script reports codes added, deactivated, reactivated and reworded and,
with ``--apply``, writes the facts (status, dates, successor, a fingerprint
of the official wording) into ``data/``.  It never writes X12's wording:
only its sha256, so a later publication that rewords a code is noticed and
the record is flagged ``needs_review`` for a person to re-check our words.
Our own titles and summaries are never touched.

A blank date in a list means "not given", so it never erases a date that
``data/`` already has.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import pathlib
import re
import sys
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import _datafile

HEADER = (
    "denialkit dataset source: {code_set} records.\n"
    "Facts (status, dates, successor, official_sha256) are written by\n"
    "tools/import_x12.py from the X12 list; title, summary, category and\n"
    "the rest are our own words, edited by hand.  See data/SCHEMA.md."
)

_CODES = r"((?:[A-Z]{0,2}\d+)(?:\s*(?:,|and|or|/)\s*[A-Z]{0,2}\d+)*)"
# Ways the lists' notes name a successor: "Use code 45", "Use Code 45",
# "Consider using M68", "replaced by 272 and 273", "CARC codes 242 and 243
# are replacements for this deactivated code".
_SUCCESSOR_PATTERNS = (
    re.compile(
        r"\b(?:use|consider using|replaced (?:by|with))\b[^.;]*?"
        r"\b(?:codes?|carcs?|rarcs?|reason codes?|remark codes?)\s+" + _CODES,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:consider using|replaced (?:by|with))\s+" + _CODES,
        re.IGNORECASE,
    ),
    re.compile(r"codes?\s+" + _CODES + r"\s+are\s+replacements", re.I),
    re.compile(r"\buse\s+" + _CODES + r"\s+instead", re.IGNORECASE),
)


def fingerprint(description: str) -> str:
    text = " ".join(description.split())

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunk_for(code_set: str, code: str) -> str:
    if code_set == "group":
        return "group/codes.yaml"
    if code_set == "carc":
        if not code.isdigit():
            return "carc/letters.yaml"
        low = (int(code) - 1) // 100 * 100 + 1

        return f"carc/{low:03d}-{low + 99:03d}.yaml"
    if code.startswith("MA"):
        return "rarc/MA.yaml"
    if code.startswith("M"):
        return "rarc/M.yaml"
    low = (int(code[1:]) - 1) // 100 * 100 + 1

    return f"rarc/N{low:03d}-N{low + 99:03d}.yaml"


def successors(row: dict[str, str], code_set: str) -> list[str]:
    if row["status"] != "deactivated":
        return []
    found: list[str] = []
    for text in (row.get("description", ""), row.get("notes", "")):
        for pattern in _SUCCESSOR_PATTERNS:
            for match in pattern.finditer(text):
                found += re.findall(r"[A-Z]{0,2}\d+", match.group(1))

    if code_set == "rarc":
        # A RARC retired in favour of a CARC names it across code sets.
        found = [
            c if re.fullmatch(r"(?:M|MA|N)\d+", c) else f"carc:{c}"
            for c in found
        ]

    return list(dict.fromkeys(found))


def read_list(path: pathlib.Path, code_set: str) -> dict[str, dict[str, Any]]:
    facts: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        for line, row in enumerate(csv.DictReader(stream), start=2):
            code = row["code"].strip()
            if not code:
                raise SystemExit(f"{path}:{line}: empty code")
            status = row["status"].strip()
            if code_set == "group":
                status = "deactivated" if status == "retired" else status
            elif status == "current_stop_scheduled":
                status = "current"
            if status not in ("current", "deactivated"):
                raise SystemExit(
                    f"{path}:{line}: status {status!r} for {code}; expected"
                    " current, deactivated or current_stop_scheduled"
                )
            # x12.org gives 2018-05-20 as every group code's start: the day
            # the list was posted, not when the codes began (they are as
            # old as the 835), so it is not taken as a start date.
            start = "" if code_set == "group" else row.get("start_date", "")
            facts[code] = {
                "status": status,
                "start": _datafile.iso(start),
                "last_modified": _datafile.iso(row.get("last_modified", "")),
                "stop": _datafile.iso(row.get("stop_date", "")),
                "replaced_by": successors(row, code_set),
                "official_sha256": fingerprint(row["description"]),
            }

    return facts


def load_data(
    root: pathlib.Path,
) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    records = {}
    for code_set in ("carc", "rarc", "group"):
        for path in sorted((root / code_set).glob("*.yaml")):
            document = _datafile.load(path)
            for record in document["codes"]:
                rel = str(path.relative_to(root))
                records[code_set, record["code"]] = (rel, record)

    return records


def plan(
    code_set: str,
    incoming: dict[str, dict[str, Any]],
    existing: dict[tuple[str, str], tuple[str, dict[str, Any]]],
) -> dict[str, list[str]]:
    report: dict[str, list[str]] = {
        "added": [],
        "deactivated": [],
        "reactivated": [],
        "reworded": [],
        "dates_changed": [],
        "missing_from_list": [],
    }
    for code, facts in incoming.items():
        if (code_set, code) not in existing:
            report["added"].append(code)
            continue
        _, old = existing[code_set, code]
        if old["status"] == "current" and facts["status"] == "deactivated":
            report["deactivated"].append(code)
        if old["status"] == "deactivated" and facts["status"] == "current":
            report["reactivated"].append(code)
        if old.get("official_sha256") != facts["official_sha256"]:
            report["reworded"].append(code)
        for key in ("start", "last_modified", "stop"):
            if facts[key] and facts[key] != old.get(key):
                report["dates_changed"].append(code)
                break
    for known_set, code in existing:
        if known_set == code_set and code not in incoming:
            report["missing_from_list"].append(code)

    return report


def apply(
    root: pathlib.Path,
    code_set: str,
    incoming: dict[str, dict[str, Any]],
    existing: dict[tuple[str, str], tuple[str, dict[str, Any]]],
    reworded: list[str],
) -> None:
    files: dict[str, list[dict[str, Any]]] = {}
    for (known_set, _code), (rel, record) in existing.items():
        if known_set == code_set:
            files.setdefault(rel, []).append(record)
    for code, facts in incoming.items():
        if (code_set, code) in existing:
            record = existing[code_set, code][1]
        else:
            record = {"code": code, "title": None, "summary": None}
            files.setdefault(chunk_for(code_set, code), []).append(record)
        record["status"] = facts["status"]
        for key in ("start", "last_modified", "stop"):
            record[key] = facts[key] or record.get(key)
        # Successors curated by hand win over ones read from list notes.
        record["replaced_by"] = (
            record.get("replaced_by") or facts["replaced_by"]
        )
        if code in reworded and record.get("summary"):
            record["needs_review"] = (
                "X12 reworded this code; check our title and summary."
            )
        record["official_sha256"] = facts["official_sha256"]
    for rel, records in files.items():
        records.sort(key=lambda r: sort_key(r["code"]))
        _datafile.dump(
            root / rel,
            {"code_set": code_set, "codes": records},
            HEADER.format(code_set=code_set.upper()),
        )


def sort_key(code: str) -> tuple[str, int, str]:
    match = re.fullmatch(r"([A-Z]*)(\d*)(.*)", code)
    assert match is not None
    prefix, number, rest = match.groups()

    return (prefix, int(number or 0), rest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", type=pathlib.Path)
    parser.add_argument("--carc", type=pathlib.Path)
    parser.add_argument("--rarc", type=pathlib.Path)
    parser.add_argument("--group", type=pathlib.Path)
    parser.add_argument("--apply", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--data",
        type=pathlib.Path,
        default=_datafile.DATA,
        help="the data folder to update (default: this checkout's data/)",
    )
    args = parser.parse_args(argv)

    lists = {"carc": args.carc, "rarc": args.rarc, "group": args.group}
    if args.dir:
        for code_set, name in (
            ("carc", "carc.csv"),
            ("rarc", "rarc.csv"),
            ("group", "group_codes.csv"),
        ):
            if lists[code_set] is None and (args.dir / name).exists():
                lists[code_set] = args.dir / name
    if not any(lists.values()):
        parser.error(
            "name a folder with carc.csv/rarc.csv or use --carc/--rarc"
        )

    existing = load_data(args.data)
    reports = {}
    for code_set, path in lists.items():
        if path is None:
            continue
        incoming = read_list(path, code_set)
        report = plan(code_set, incoming, existing)
        reports[code_set] = {
            "list": str(path),
            "codes_in_list": len(incoming),
            **{key: value for key, value in report.items()},
        }
        if args.apply:
            apply(args.data, code_set, incoming, existing, report["reworded"])

    if args.json:
        print(json.dumps(reports, indent=2))
    else:
        for code_set, report in reports.items():
            print(
                f"{code_set.upper()} from {report['list']}:"
                f" {report['codes_in_list']} codes in the list"
            )
            for key, codes in report.items():
                if isinstance(codes, list):
                    shown = ", ".join(codes[:12])
                    more = (
                        f" (+{len(codes) - 12} more)"
                        if len(codes) > 12
                        else ""
                    )
                    print(
                        f"  {key.replace('_', ' ')}: {len(codes)}"
                        + (f"  {shown}{more}" if codes else "")
                    )
        if not args.apply:
            print("Dry run: nothing written. Add --apply to update data/.")

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
