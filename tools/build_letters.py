"""
Precompile the built-in appeal letters for the installed jinja2.

Usage::

    python tools/build_letters.py [--check]

Every built-in letter (each letter kind for each code the newest release
gives guidance for, and for deactivated codes) is a combination of the
standard sections.  This writes the Python code jinja2 generates for each
distinct combination to ``src/denialkit/appeals/compiled/`` with an
``index.json`` naming the jinja2 version, so the first letter in a
process skips most of its compile time.  Run it after changing a
standard section or upgrading jinja2; ``--check`` fails when the files
are stale (the test suite runs it).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import jinja2  # noqa: E402

import denialkit  # noqa: E402
from denialkit import TemplateError  # noqa: E402
from denialkit.appeals import (  # noqa: E402
    LETTER_KINDS,
    _render,
    builtin_letter,
)

OUT = ROOT / "src" / "denialkit" / "appeals" / "compiled"


def combinations() -> dict[str, str]:
    """
    Every distinct built-in letter source, by its key.
    """
    dataset = denialkit.load()
    records = [r for r in dataset if r.editorial is not None]
    records += [r for r in dataset.codes("carc") if not r.is_current][:1]
    found = {}
    for record in records:
        for kind in LETTER_KINDS:
            try:
                letter = builtin_letter(record, kind=kind, dataset=dataset)
            except TemplateError:
                continue
            sources = tuple((s.name, s.source) for s in letter.sections)
            joined = _render.joined_source(sources)
            found[_render.letter_key(joined)] = joined

    return found


def generate() -> dict[str, str]:
    """
    The files to write: ``index.json`` and one code file per letter.
    """
    env = _render._strict_env
    files = {}
    letters = {}
    for key, joined in sorted(combinations().items()):
        name = f"{key}.py.txt"
        files[name] = env.compile(joined, raw=True, defer_init=True) + "\n"
        letters[key] = name
    files["index.json"] = (
        json.dumps(
            {"jinja2": jinja2.__version__, "letters": letters}, indent=1
        )
        + "\n"
    )

    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)

    files = generate()
    existing = {p.name for p in OUT.glob("*")} if OUT.exists() else set()
    if args.check:
        stale = sorted(
            name
            for name, text in files.items()
            if not (OUT / name).exists()
            or (OUT / name).read_text(encoding="utf-8") != text
        )
        extra = sorted(existing - set(files))
        if stale or extra:
            print(f"stale: {stale[:5]} extra: {extra[:5]}")
            print("Run python tools/build_letters.py to regenerate.")
            return 1
        print(f"{len(files) - 1} precompiled letters are up to date.")
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    for name in existing - set(files):
        (OUT / name).unlink()
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"Wrote {len(files) - 1} precompiled letters to {OUT}.")

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
