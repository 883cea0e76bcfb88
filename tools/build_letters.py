"""
Precompile the built-in appeal letters for the installed jinja2.

Usage::

    python tools/build_letters.py [--check]

Every built-in letter (each letter kind for each code the newest release
gives guidance for, and for deactivated codes) is a combination of the
standard sections.  This writes the Python code jinja2 generates for each
distinct combination into ``src/denialkit/appeals/letters.json``, with
the jinja2 version that wrote it, so the first letter in a process skips
jinja2's parser and code generator.  Run it after changing a
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

OUT = ROOT / "src" / "denialkit" / "appeals" / "letters.json"


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


def generate() -> str:
    """
    The text of ``letters.json``: jinja2's code for every built-in letter.
    """
    env = _render._strict_env
    letters = {
        key: env.compile(joined, raw=True, defer_init=True)
        for key, joined in sorted(combinations().items())
    }
    document = {"jinja2": jinja2.__version__, "letters": letters}

    return json.dumps(document, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)

    text = generate()
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run python tools/build_letters.py.")
            return 1
        print(f"{OUT.name} is up to date.")
        return 0

    OUT.write_text(text, encoding="utf-8")
    print(f"Wrote {len(json.loads(text)['letters'])} letters to {OUT}.")

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
