"""
Check that our titles and summaries never reproduce X12's wording.

Usage::

    python tools/check_own_words.py [X12_DIR] [--run 8]

Compares every title and summary in ``data/`` (and editorial text) with
the official descriptions in X12_DIR (default:
``../shared/reference/x12``) and lists each record that shares a run of
``--run`` or more consecutive words with the official text.  Official
texts shorter than the run are exempt.  Exit status 1 when any is found.
"""

from __future__ import annotations

import argparse
import csv
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import _datafile

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str, run: int) -> set[tuple[str, ...]]:
    tokens = words(text)

    return {tuple(tokens[i : i + run]) for i in range(len(tokens) - run + 1)}


def official_texts(folder: pathlib.Path) -> dict[tuple[str, str], str]:
    texts = {}
    for code_set, name in (
        ("carc", "carc.csv"),
        ("rarc", "rarc.csv"),
        ("group", "group_codes.csv"),
    ):
        with (folder / name).open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                texts[code_set, row["code"]] = row["description"]

    return texts


def our_texts() -> dict[tuple[str, str], list[tuple[str, str]]]:
    texts: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for path in sorted(_datafile.DATA.glob("*/*.yaml")):
        document = _datafile.load(path)
        if not isinstance(document, dict) or "codes" not in document:
            continue
        for record in document["codes"]:
            key = (document["code_set"], record["code"])
            for field in ("title", "summary"):
                if record.get(field):
                    texts.setdefault(key, []).append((field, record[field]))
    for path in sorted(_datafile.DATA.glob("editorial/*/*.yaml")):
        document = _datafile.load(path)
        key = (document["code_set"], str(document["code"]))
        for field in ("explanation",):
            if document.get(field):
                texts.setdefault(key, []).append((field, document[field]))
        letter = (document.get("appeal") or {}).get("letter_argument")
        if letter:
            texts.setdefault(key, []).append(("letter_argument", letter))

    return texts


def overlaps(
    official: dict[tuple[str, str], str],
    ours: dict[tuple[str, str], list[tuple[str, str]]],
    run: int,
) -> list[str]:
    problems = []
    for key, fields in sorted(ours.items()):
        text = official.get(key)
        if text is None or len(words(text)) < run:
            continue
        theirs = shingles(text, run)
        for field, value in fields:
            shared = shingles(value, run) & theirs
            if shared:
                sample = " ".join(sorted(shared)[0])
                problems.append(
                    f"{key[0]} {key[1]} {field}: shares '{sample}'"
                )

    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = _datafile.DATA.parent.parent / "shared" / "reference" / "x12"
    parser.add_argument(
        "x12_dir", nargs="?", type=pathlib.Path, default=default
    )
    parser.add_argument("--run", type=int, default=8)
    args = parser.parse_args(argv)

    problems = overlaps(official_texts(args.x12_dir), our_texts(), args.run)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} record fields share a run of {args.run}+ words.")

    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
