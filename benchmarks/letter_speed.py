"""
Speed of appeal letters, as ratios against plain jinja2 in one run.

Usage::

    python benchmarks/letter_speed.py [--rounds N]

Anchors and goals (from the appeal-letters issue):

- warm: rendering the built-in R2 letter (composed sections, one
  sandboxed environment, strict undefined, every missing field checked)
  against a plain ``jinja2.Environment`` rendering the same text as one
  template from the same data: goal <= 2.5, and >= 15,000 letters/s.
- first letter in a fresh process: ``denialkit.appeals`` imported, the
  letter built from the dataset, compiled and rendered, against a fresh
  process that imports jinja2, compiles the one-file template and
  renders it: goal <= 1.5.

The context is built in code in both cases (reading a YAML claim file
is not part of rendering).
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import timeit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from typing import Any

from _common import cold_pair, report

CONTEXT = textwrap.dedent(
    """
    import datetime
    from decimal import Decimal
    from denialkit.appeals import (
        AppealContext, Attachment, Claim, ClinicalFacts, Denial, Guideline,
        Patient, Payer, Practice, Provider, ServiceLine,
    )
    from denialkit import CodeRef
    context = AppealContext(
        practice=Practice(name="Example Imaging", address_lines=("1 Test St",),
                          phone="555-0100", npi="1234567893"),
        provider=Provider(name="Jordan Fictional", npi="1245319599",
                          credentials="MD"),
        payer=Payer(name="Demo Plan", payer_type="commercial",
                    appeals_address_lines=("PO Box 0", "Testville")),
        patient=Patient(name="Pat Test", member_id="TEST1"),
        claim=Claim(number="CLM-1", service_lines=(ServiceLine(
            date_of_service=datetime.date(2026, 10, 5), cpt="72148",
            billed=Decimal("1450.00")),)),
        denial=Denial(codes=(CodeRef.parse("R2"),),
                      notice_date=datetime.date(2026, 11, 2)),
        clinical=ClinicalFacts(summary="Invented summary.",
                               symptoms=("pain",),
                               guideline=Guideline(name="the ACR AC",
                                                   topic="Low back pain",
                                                   rating=8)),
        attachments=(Attachment(title="Office notes"),),
        letter_date=datetime.date(2026, 11, 20),
    )
    """
)


def _plain_source_and_data() -> tuple[str, dict[str, Any]]:
    from denialkit.appeals import builtin_letter

    namespace: dict[str, Any] = {}
    exec(CONTEXT, namespace)
    context = namespace["context"]
    letter = builtin_letter("R2")
    source = "".join(section.source + "\n" for section in letter.sections)
    data = _plain(dict(context.template_data))
    assert letter.facts is not None
    data["letter"] = _plain(dict(letter.facts.data(context)))

    return source, data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]

    return value


def warm(number: int) -> dict[str, float]:
    import jinja2

    from denialkit.appeals import builtin_letter, render

    namespace: dict[str, Any] = {}
    exec(CONTEXT, namespace)
    context = namespace["context"]
    letter = builtin_letter("R2")
    ours_text = render(letter, context)

    source, data = _plain_source_and_data()
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(source)
    plain_text = template.render(data)
    assert plain_text.split() == str(ours_text).split(), "not equivalent"

    def ours() -> None:
        render(letter, context)

    def plain() -> None:
        template.render(data)

    return {
        "ours": min(timeit.repeat(ours, number=number, repeat=7)) / number,
        "plain": min(timeit.repeat(plain, number=number, repeat=7)) / number,
    }


def first_letter(rounds: int) -> dict[str, float]:
    source, data = _plain_source_and_data()
    anchor = (
        "import jinja2\n"
        "env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)\n"
        f"env.from_string({source!r}).render({data!r})\n"
    )
    ours = CONTEXT + (
        "from denialkit.appeals import builtin_letter, render\n"
        "render(builtin_letter('R2'), context)\n"
    )
    mine, plain = cold_pair(ours, anchor, rounds)

    return {"ours": mine, "plain": plain}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    hot = warm(2000)
    cold = first_letter(args.rounds)
    rows = [
        ("warm letter / plain jinja2 render", hot["ours"], hot["plain"], 2.5),
        (
            "first letter, fresh process / jinja2",
            cold["ours"],
            cold["plain"],
            1.5,
        ),
    ]
    failed = report(rows)
    rate = 1 / hot["ours"]
    failed |= rate < 15_000
    print(f"warm letters per second: {rate:,.0f} (goal >= 15,000)")

    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
