"""
Generate the documentation pages that come from the code and the dataset.

mkdocs loads this file as a hook (``hooks:`` in mkdocs.yml).  ``on_files``
adds the generated pages in memory, so nothing is written into ``docs/``
and no page can fall behind the code or the data it shows:

- one page per code of the newest dataset release, with index pages per
  code set and per category;
- one page per dataset release, with its diff from the release before;
- the Python API reference, one page per public module, listing every
  name in the module's ``__all__``;
- the command-line reference, read from ``denialkit._cli.build_parser()``;
- the data schema (``data/SCHEMA.md``) and the changelog
  (``CHANGELOG.md``), copied in unchanged apart from their links.

``on_page_markdown`` also fills two markers in hand-written pages:
``<!-- generated:log-calls -->`` with the table of every log call in
``src/``, and ``<!-- generated:exception-classes -->`` with the reference
of every class in ``denialkit.exceptions``.

Run it by hand to read the pages without building the site::

    python tools/gen_docs.py OUT_DIR
"""

from __future__ import annotations

import argparse
import ast
import datetime
import html
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from denialkit import Dataset, DenialCode

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

CODE_SET_NAMES = {
    "carc": "Claim adjustment reason codes (CARC)",
    "rarc": "Remittance advice remark codes (RARC)",
    "group": "Claim adjustment group codes",
    "specialty": "Specialty denial codes",
}
CODE_SET_SHORT = {
    "carc": "CARC",
    "rarc": "RARC",
    "group": "Group codes",
    "specialty": "Specialty codes",
}
FAMILY_NAMES = {
    "R": "radiology and imaging",
    "ORTHO": "orthopedics",
    "CARD": "cardiology",
    "L": "laboratory and pathology",
    "PT": "therapy",
    "BH": "behavioral health",
    "B": "behavioral therapy plans",
    "ABA": "applied behavior analysis",
    "SA": "substance use treatment",
    "H": "home health",
}
API_MODULES = ("denialkit", "denialkit.appeals", "denialkit.remit")
LOG_MARKER = "<!-- generated:log-calls -->"
EXCEPTIONS_MARKER = "<!-- generated:exception-classes -->"

# The invented facts every sample letter is filled from.  Patient and
# claim fields stay empty on purpose, so the draft shows them as
# [Bracketed] placeholders, which is what a reader must fill in.
SAMPLE_NOTICE = datetime.date(2026, 11, 2)
SAMPLE_LETTER_DATE = datetime.date(2026, 11, 20)


# Markdown helpers ------------------------------------------------------


def md(text: str | None) -> str:
    """
    Escape dataset text for inline Markdown.
    """
    if not text:
        return ""
    escaped = html.escape(" ".join(text.split()), quote=False)

    return re.sub(r"([\\`*_\[\]|])", r"\\\1", escaped)


def label(code_set: str, code: str) -> str:
    """
    How pages name a code: ``CARC 50``, ``RARC N130``, ``Group CO``, ``R2``.
    """
    if code_set == "specialty":
        return code

    return f"{CODE_SET_SHORT[code_set].removesuffix(' codes')} {code}"


def code_path(code_set: str, code: str) -> str:
    """
    The source path of a code's page, relative to the docs folder.
    """
    return f"codes/{code_set}/{code}.md"


def category_name(category: str | None) -> str:
    """
    ``"timely_filing"`` as people write it: ``"Timely filing"``.
    """
    if category is None:
        return "No category yet"

    return category.replace("_", " ").capitalize()


def category_path(category: str | None) -> str:
    return f"codes/categories/{category or 'uncategorised'}.md"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]

    return "\n".join(lines)


def _date(value: datetime.date | None, missing: str) -> str:
    return value.isoformat() if value else missing


class Linker:
    """
    Links from one generated page to code pages, by key.

    Only codes of the newest release have pages; others print as text.
    """

    def __init__(self, dataset: Dataset, to_root: str) -> None:
        self.dataset = dataset
        self.to_root = to_root

    def code(self, code_set: str, code: str, text: str | None = None) -> str:
        shown = md(text or label(code_set, code))
        if f"{code_set}:{code}" not in self.dataset:
            return shown

        return f"[{shown}]({self.to_root}{code_path(code_set, code)})"

    def key(self, key: str) -> str:
        code_set, _, code = key.partition(":")

        return self.code(code_set, code)

    def category(self, category: str | None) -> str:
        name = category_name(category)

        return f"[{name}]({self.to_root}{category_path(category)})"


# Code pages ------------------------------------------------------------


def successors(record: DenialCode) -> list[tuple[str, str]]:
    """
    The ``(code_set, code)`` pairs that replace a deactivated code.
    """
    found = []
    for item in record.replaced_by:
        code_set, _, code = item.rpartition(":")
        found.append((code_set or record.code_set, code))

    return found


def _code_facts(record: DenialCode, link: Linker) -> str:
    kind = CODE_SET_NAMES[record.code_set]
    if record.family:
        family = FAMILY_NAMES.get(record.family, record.family)
        kind += f", family {record.family} ({family})"
    status = "Current" if record.is_current else "**Deactivated**"
    rows = [
        ("Code set", kind),
        ("Status", status),
        ("Category", link.category(record.category)),
        ("Start date", _date(record.start, "not given in the lists")),
        (
            "Last modified",
            _date(record.last_modified, "not given in the lists"),
        ),
    ]
    if record.stop or not record.is_current:
        rows.append(("Stop date", _date(record.stop, "not given")))
    if record.replaced_by:
        rows.append(
            (
                "Replaced by",
                ", ".join(link.code(s, c) for s, c in successors(record)),
            )
        )
    if record.adjustment:
        rows.append(("Adjustment", category_name(record.adjustment)))
    if record.remark_type:
        rows.append(("Remark type", record.remark_type.capitalize()))
    if record.is_appealable is not None:
        action = "Appeal" if record.is_appealable else "Correct and resubmit"
        rows.append(("What to do", action))
    searched = (*record.aliases, *record.keywords)
    if searched:
        rows.append(("Also searched as", ", ".join(md(w) for w in searched)))
    if record.source_url:
        rows.append(("Published by", f"<{html.escape(record.source_url)}>"))
    rows.append(
        (
            "Dataset release",
            f"[{record.release}]({link.to_root}releases/{record.release}.md)",
        )
    )

    return _table(("Fact", "Value"), rows)


def _deactivated_note(record: DenialCode, link: Linker) -> str:
    name = md(label(record.code_set, record.code))
    since = f" on {record.stop.isoformat()}" if record.stop else ""
    text = f"{name} was deactivated{since}."
    if record.replaced_by:
        names = " or ".join(link.code(s, c) for s, c in successors(record))
        text += f" Use {names} instead."
    else:
        text += " The lists name no successor."
    text += (
        " It still explains remittances for services before that day, so"
        " it stays in the dataset."
    )

    return f'!!! warning "Deactivated code"\n    {text}'


def _editorial_sections(record: DenialCode, link: Linker) -> list[str]:
    editorial = record.editorial
    if editorial is None:
        return []
    appeal = editorial.appeal
    action = (
        "**Appeal.** The dataset advises appealing this denial."
        if appeal.is_appealable
        else "**Correct and resubmit.** An appeal will not help; fix the"
        " claim and send it again."
    )
    parts = [
        "## What it means",
        md(editorial.explanation),
        "## Common causes",
        "\n".join(f"- {md(cause)}" for cause in editorial.common_causes),
        "## Prevention checklist",
        "\n".join(f"- [ ] {md(step)}" for step in editorial.prevention),
        "## Appeal guidance",
        action,
        "### Arguments that work",
        "\n".join(f"- {md(item)}" for item in appeal.arguments),
        "### Evidence to enclose",
        "\n".join(f"- {md(item)}" for item in appeal.evidence),
    ]
    related = [
        link.code(code_set, code)
        for code_set in ("group", "carc", "rarc")
        for code in getattr(editorial.related, code_set)
    ]
    if related:
        parts += ["## Related codes", ", ".join(related)]
    if editorial.facts:
        parts += ["## Facts behind the guidance", _facts(editorial.facts)]

    return parts


def _facts(facts: Iterable[Any]) -> str:
    lines = []
    for fact in facts:
        mark = " *(uncertain: sources disagree or are secondary)*"
        source = f"[{md(fact.source.title)}]({fact.source.url})"
        lines.append(
            f"- {md(fact.statement)}{mark if fact.uncertain else ''}"
            f" Source: {source}."
        )

    return "\n".join(lines)


def _sources(record: DenialCode) -> list[str]:
    editorial = record.editorial
    if editorial is None or not editorial.sources:
        return []
    lines = [
        f"- [{md(source.title)}]({source.url}), read {source.read.isoformat()}"
        for source in editorial.sources
    ]

    return ["## Sources", "\n".join(lines)]


def _revisions(record: DenialCode) -> list[str]:
    editorial = record.editorial
    if editorial is None or not editorial.revisions:
        return []
    blocks = []
    for revision in reversed(editorial.revisions):
        block = [
            f"### Release {revision.release} ({revision.date.isoformat()})",
            md(revision.change),
        ]
        if revision.previous:
            block.append(f"*Before:* {md(revision.previous)}")
        if revision.reason:
            block.append(f"*Why:* {md(revision.reason)}")
        blocks.append("\n\n".join(block))

    return ["## Revision history", "Newest first.", *blocks]


def sample_context(record: DenialCode) -> Any:
    """
    The invented context a code page's sample letter is rendered from.
    """
    from denialkit import CodeRef
    from denialkit.appeals import (
        AppealContext,
        Claim,
        Denial,
        Patient,
        Payer,
        Practice,
    )

    return AppealContext(
        practice=Practice(
            name="Sample Practice (invented)",
            address_lines=("1 Example Street", "Exampletown, ZZ 00000"),
        ),
        payer=Payer(
            name="Example Health Plan (invented)",
            payer_type="commercial",
        ),
        patient=Patient(name="", member_id=""),
        claim=Claim(number=""),
        denial=Denial(
            codes=(CodeRef(record.code_set, record.code),),
            notice_date=SAMPLE_NOTICE,
        ),
        letter_date=SAMPLE_LETTER_DATE,
    )


def sample_letter(record: DenialCode, dataset: Dataset) -> str | None:
    """
    The built-in letter for *record* rendered in draft mode, as text.

    ``None`` for codes without appeal guidance.
    """
    from denialkit.appeals import builtin_letter, render

    if record.editorial is None:
        return None
    letter = builtin_letter(record, dataset=dataset)
    text = render(letter, sample_context(record), draft=True)

    return str(text)


def _letter_html(text: str) -> str:
    paragraphs = [
        "<br>".join(html.escape(line) for line in block.split("\n"))
        for block in text.strip().split("\n\n")
    ]
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)

    return (
        '<div class="dk-letter" data-draft="true">'
        '<p class="dk-letter-banner">DRAFT: every [Bracketed] field is'
        " left for you to fill in.</p>"
        f"{body}</div>"
    )


def _letter_section(record: DenialCode, dataset: Dataset) -> list[str]:
    text = sample_letter(record, dataset)
    if text is None:
        return []
    kind = (
        "corrected-claim cover letter"
        if (record.is_appealable is False)
        else "appeal letter"
    )
    intro = (
        f"The built-in {kind} for this code, rendered in draft mode for an"
        " invented practice and a commercial plan, with a denial notice"
        f" dated {SAMPLE_NOTICE.isoformat()} and the letter dated"
        f" {SAMPLE_LETTER_DATE.isoformat()}."
        " Fields about the patient and the claim are left empty, so they"
        " show as placeholders."
        " The [tutorial](../../tutorial.md#render-an-r2-appeal-letter)"
        " shows how to fill them from a claim file."
    )

    return ["## Sample letter", intro, _letter_html(text)]


def _lookup_section(record: DenialCode, dataset: Dataset) -> list[str]:
    from denialkit import CODE_SETS

    sets = [s for s in CODE_SETS if f"{s}:{record.code}" in dataset]
    query = record.code if len(sets) == 1 else record.key

    return [
        "## Look it up",
        "From Python, pinned to this page's release:",
        "```python\nimport denialkit\n\nresult = denialkit.lookup("
        f'"{query}", release="{record.release}")\nprint(result.title)\n```',
        "From the command line:",
        f"```console\n$ denialkit explain {query} --release"
        f" {record.release}\n```",
    ]


def code_page(record: DenialCode, dataset: Dataset) -> str:
    """
    The Markdown page of one code.
    """
    link = Linker(dataset, "../../")
    name = label(record.code_set, record.code)
    parts = [f"# {md(name)}: {md(record.display_title)}"]
    if record.aliases or record.keywords:
        # Codes with search phrases are the ones people look for most;
        # rank their pages above pages that merely mention the words.
        parts.insert(0, "---\nsearch:\n  boost: 2\n---")
    if not record.is_current:
        parts.append(_deactivated_note(record, link))
    parts.append(
        md(record.summary)
        or "*This release has no summary for this code yet.*"
    )
    parts.append(_code_facts(record, link))
    if record.note:
        parts.append(
            f'!!! note "About the dates or status"\n    {md(record.note)}'
        )
    if record.maps_to:
        parts += ["## On a remittance", _mappings(record, link)]
    parts += _editorial_sections(record, link)
    parts += _letter_section(record, dataset)
    parts += _sources(record)
    parts += _revisions(record)
    parts += _lookup_section(record, dataset)
    withheld = (
        "the publisher's own text is not copied"
        if record.code_set == "specialty"
        else "the official X12 wording is not included"
    )
    parts.append(
        f"*Our own words, from denialkit dataset release {record.release};"
        f" {withheld} ([why](../../explanation/own-words.md)).*"
    )

    return "\n\n".join(parts) + "\n"


def _mappings(record: DenialCode, link: Linker) -> str:
    lines = [
        "This code never appears on a remittance itself."
        " Payers send one of these combinations instead:",
        "",
    ]
    for mapping in record.maps_to:
        codes = [
            link.code("carc", mapping.carc, f"{mapping.group}-{mapping.carc}")
        ]
        codes += [link.code("rarc", remark, remark) for remark in mapping.rarc]
        when = f": {md(mapping.when)}" if mapping.when else ""
        lines.append(f"- {' + '.join(codes)}{when}")

    return "\n".join(lines)


# Index pages -----------------------------------------------------------


def _index_row(record: DenialCode, link: Linker) -> tuple[str, ...]:
    status = "current"
    if not record.is_current:
        status = "**deactivated**"
        if record.replaced_by:
            status += ", use " + ", ".join(
                link.code(s, c, c) for s, c in successors(record)
            )

    return (
        link.code(record.code_set, record.code, record.code),
        md(record.display_title),
        status,
        link.category(record.category) if record.category else "",
    )


def _code_table(records: Sequence[DenialCode], link: Linker) -> str:
    rows = [_index_row(record, link) for record in records]
    table = _table(("Code", "Title", "Status", "Category"), rows)

    return f'<div class="dk-code-index" markdown>\n\n{table}\n\n</div>'


def code_set_index(dataset: Dataset, code_set: str) -> str:
    """
    The index page of one code set: every code, in release order.
    """
    records = dataset.codes(code_set)  # type: ignore[arg-type]
    current = sum(1 for record in records if record.is_current)
    intro = {
        "carc": "A CARC says why a claim or service line was paid"
        " differently from what was billed.",
        "rarc": "A RARC adds detail to a CARC, or carries a notice of its"
        " own (an *alert*).",
        "group": "A group code says who owns an adjustment: the provider,"
        " the patient or neither.",
        "specialty": "Specialty codes are finer-grained denial labels, each"
        " mapped to the CARC and RARC combinations that carry it on a"
        " remittance.",
    }[code_set]

    return (
        f"# {CODE_SET_NAMES[code_set]}\n\n{intro}\n\n"
        f"Dataset release {dataset.release} has **{len(records)}** codes"
        f" in this set: {current} current and"
        f" {len(records) - current} deactivated.\n"
        "Deactivated codes stay listed, because old remittances still"
        " carry them.\n\n"
        f"{_code_table(records, Linker(dataset, '../../'))}\n"
    )


def codes_index(dataset: Dataset) -> str:
    """
    The landing page of the code pages.
    """
    rows = [
        (
            f"[{CODE_SET_NAMES[code_set]}]({code_set}/index.md)",
            str(len(dataset.codes(code_set))),  # type: ignore[arg-type]
        )
        for code_set in CODE_SET_NAMES
    ]

    return (
        "# Codes\n\n"
        f"Every code of dataset release {dataset.release}, one page each.\n"
        "Search the site for a code (`CO 197`, `N386`, `R2`) or for words"
        " (`timely filing`).\n\n"
        f"{_table(('Code set', 'Codes'), rows)}\n\n"
        "The same codes are also grouped [by category](categories/index.md)."
        "\n"
    )


def category_pages(dataset: Dataset) -> dict[str, str]:
    """
    One page per category with its codes from every code set, and the
    categories index.
    """
    from denialkit import CATEGORIES

    link = Linker(dataset, "../../")
    by_category: dict[str | None, list[DenialCode]] = {}
    for record in dataset:
        by_category.setdefault(record.category, []).append(record)
    pages = {}
    rows = []
    for category in (*CATEGORIES, None):
        records = by_category.get(category, [])
        if not records:
            continue
        name = category_name(category)
        sections = []
        for code_set in CODE_SET_NAMES:
            chosen = [r for r in records if r.code_set == code_set]
            if chosen:
                sections.append(
                    f"## {CODE_SET_NAMES[code_set]}\n\n"
                    f"{_code_table(chosen, link)}"
                )
        intro = (
            "These codes have no category in this release yet."
            if category is None
            else f"Every code whose category is *{name.lower()}*."
        )
        pages[category_path(category)] = (
            f"# {name}\n\n{intro}\n"
            f"Dataset release {dataset.release}, {len(records)} codes.\n\n"
            + "\n\n".join(sections)
            + "\n"
        )
        target = category_path(category).removeprefix("codes/categories/")
        rows.append((f"[{name}]({target})", str(len(records))))
    pages["codes/categories/index.md"] = (
        "# Codes by category\n\n"
        "Each code has one category, which says what kind of problem it"
        " reports.\n"
        "The [data schema](../../reference/data-schema.md) defines them.\n\n"
        f"{_table(('Category', 'Codes'), rows)}\n"
    )

    return pages


def code_pages(dataset: Dataset) -> dict[str, str]:
    """
    Every per-code page and index page of *dataset*.
    """
    pages = {"codes/index.md": codes_index(dataset)}
    for code_set in CODE_SET_NAMES:
        pages[f"codes/{code_set}/index.md"] = code_set_index(dataset, code_set)
    for record in dataset:
        pages[code_path(record.code_set, record.code)] = code_page(
            record, dataset
        )
    pages.update(category_pages(dataset))

    return pages


# Releases --------------------------------------------------------------


def _release_counts(dataset: Dataset) -> str:
    rows = []
    for code_set in CODE_SET_NAMES:
        records = dataset.codes(code_set)  # type: ignore[arg-type]
        current = sum(1 for record in records if record.is_current)
        rows.append(
            (
                CODE_SET_NAMES[code_set],
                str(len(records)),
                str(current),
                str(len(records) - current),
            )
        )
    with_guidance = sum(1 for record in dataset if record.editorial)

    return (
        _table(("Code set", "Codes", "Current", "Deactivated"), rows)
        + f"\n\n{with_guidance} codes have appeal guidance"
        " (explanation, causes, prevention checklist and appeal advice)."
    )


def _source_lists(dataset: Dataset) -> str:
    lines = []
    for code_set, info in dataset.source_lists.items():
        name = CODE_SET_NAMES.get(code_set, code_set)
        line = f"- **{md(name)}**: {md(info.get('list'))}"
        if info.get("captured"):
            line += f", captured {info['captured']}"
        if info.get("note"):
            line += f". {md(info['note'])}"
        lines.append(line)

    return "\n".join(lines)


def _diff_section(old: Dataset, new: Dataset, newest: Dataset) -> list[str]:
    diff = old.diff(new)
    link = Linker(newest, "../")
    parts = [
        f"## Changes from {old.release}",
        f"`denialkit diff {old.release} {new.release}` prints the same list.",
    ]
    if diff.is_empty and not diff.deactivated and not diff.reactivated:
        return [*parts, "No code changed."]
    summary = [
        ("Added", diff.added),
        ("Removed", diff.removed),
        ("Deactivated", diff.deactivated),
        ("Reactivated", diff.reactivated),
    ]
    for heading, keys in summary:
        if keys:
            listed = ", ".join(link.key(key) for key in keys)
            parts += [f"### {heading} ({len(keys)})", listed]
    if diff.changed:
        rows = [
            (
                link.key(change.key),
                ", ".join(f"`{c.field}`" for c in change.changes),
                _shown_changes(change.changes),
            )
            for change in diff.changed
        ]
        parts += [
            f"### Changed ({len(diff.changed)})",
            "Titles, statuses and categories are shown old → new; read the"
            " code's page for the rest.",
            _table(("Code", "Fields changed", "Old → new"), rows),
        ]

    return parts


_SHOWN_FIELDS = ("title", "status", "category", "stop")


def _shown_changes(changes: Iterable[Any]) -> str:
    shown = []
    for change in changes:
        if change.field in _SHOWN_FIELDS:
            old = md(str(change.old)) if change.old is not None else "none"
            new = md(str(change.new)) if change.new is not None else "none"
            shown.append(f"{change.field}: {old} → {new}")

    return "<br>".join(shown)


def release_pages(
    ids: Sequence[str], load: Callable[[str], Dataset]
) -> dict[str, str]:
    """
    One page per release, each with its diff from the release before,
    and the releases index, newest first.

    Args:
        ids: Release ids, oldest first, as ``denialkit.releases()``.
        load: Loads a release by id, as ``denialkit.load``.
    """
    newest = load(ids[-1])
    pages = {}
    for index, release in enumerate(ids):
        dataset = load(release)
        mark = " (newest)" if release == ids[-1] else ""
        parts = [
            f"# Dataset release {release}{mark}",
            f"Built on {dataset.built.isoformat()}."
            f' Pin it with `denialkit.load("{release}")` or'
            f" `--release {release}`.",
            "## Codes",
            _release_counts(dataset),
            "## Where the codes come from",
            _source_lists(dataset),
        ]
        if index == 0:
            parts += ["## Changes", "The first release: every code is new."]
        else:
            parts += _diff_section(load(ids[index - 1]), dataset, newest)
        pages[f"releases/{release}.md"] = "\n\n".join(parts) + "\n"
    rows = [
        (f"[{release}]({release}.md)", load(release).built.isoformat())
        for release in reversed(ids)
    ]
    pages["releases/index.md"] = (
        "# Dataset releases\n\n"
        "The dataset is released on its own calendar, independent of the"
        " package version.\n"
        "A release id is `YYYY.N`: the year and the release number within"
        " it.\n"
        "Every release ever made ships in the package, frozen and checked"
        " against its sha256 when loaded, so code pinned to a release"
        " always reads the same words.\n"
        "How to move to a newer one safely is in"
        " [Pin and upgrade a release](../how-to/pin-and-upgrade.md).\n\n"
        f"{_table(('Release', 'Built'), rows)}\n\n"
        "The code pages of this site show the newest release.\n"
        "The package's own changes are in the [changelog](../changelog.md)."
        "\n"
    )

    return pages


# Command line ------------------------------------------------------------


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, Any]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)

    return {}


def _help_of(parser: argparse.ArgumentParser, name: str) -> str:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.dest == name:
                    return choice.help or ""

    return ""


def _option_rows(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or isinstance(
            action, argparse._SubParsersAction
        ):
            continue
        if action.option_strings:
            names = ", ".join(f"`{o}`" for o in action.option_strings)
            if action.nargs != 0:
                names += f" `{action.metavar or action.dest.upper()}`"
        else:
            names = f"`{action.metavar or action.dest.upper()}`"
            if action.nargs in ("+", "*"):
                names += " …"
        details = []
        if action.choices:
            details.append(
                "one of " + ", ".join(f"`{c}`" for c in action.choices)
            )
        if action.default not in (None, False, argparse.SUPPRESS):
            details.append(f"default `{action.default}`")
        if action.required and action.option_strings:
            details.append("required")
        if isinstance(action, argparse._AppendAction) and "repeatable" not in (
            action.help or ""
        ):
            details.append("repeatable")
        text = md(action.help or "")
        if details:
            text += f" ({'; '.join(details)})" if text else "; ".join(details)
        rows.append((names, text))

    return rows


def cli_page(parser: argparse.ArgumentParser) -> str:
    """
    The command-line reference, read from the argparse parser.
    """
    parts = [
        "# Command line",
        "The `denialkit` command explains codes, drafts appeal letters,"
        " works out appeal deadlines and exports the dataset.\n"
        "This page is generated from the command's own argument parser,"
        " so it lists every command and option the installed version"
        " accepts.",
        "Exit status: 0 on success, 2 for bad input (a wrong code, file,"
        " field or option), 1 for other failures.\n"
        "Errors print as one message on stderr, never as a traceback.",
        f"```text\n{parser.format_usage().strip()}\n```",
        md(parser.description),
        _table(("Option", "Meaning"), _option_rows(parser)),
    ]
    for name, sub in _subcommands(parser).items():
        parts += [
            f"## `denialkit {name}`",
            md(_help_of(parser, name).capitalize() + "."),
        ]
        if sub.description:
            parts.append(md(sub.description))
        parts += [
            f"```text\n{sub.format_usage().strip()}\n```",
            _table(("Argument or option", "Meaning"), _option_rows(sub)),
        ]

    return "\n\n".join(parts) + "\n"


# Python API ------------------------------------------------------------

API_INTROS = {
    "denialkit": (
        "The core: load a dataset release, look codes up, search, filter"
        " and diff releases.\n"
        "Importing `denialkit` loads neither the appeal letters nor the"
        " remittance reader."
    ),
    "denialkit.appeals": (
        "Appeal letters: sections, composable templates, the typed context"
        " a letter is filled from, rendering, and appeal deadlines."
    ),
    "denialkit.remit": (
        "The X12 835 remittance reader: every claim, service line and"
        " adjustment, with balancing checks and every problem reported"
        " by its segment position."
    ),
}


def _kind(name: str, value: Any) -> str:
    from denialkit import exceptions

    if name in exceptions.__all__:
        return "exception"
    if isinstance(value, type):
        return "class"
    if callable(value) and getattr(value, "__module__", "").startswith(
        "denialkit"
    ):
        return "function"

    return "data"


def public_names(module_name: str) -> list[str]:
    """
    The ``__all__`` of one public module, as imported now.
    """
    module = importlib.import_module(module_name)

    return list(getattr(module, "__all__", ()))


def api_page(module_name: str) -> str:
    """
    The API reference page of one public module.
    """
    module = importlib.import_module(module_name)
    groups: dict[str, list[str]] = {
        "function": [],
        "class": [],
        "data": [],
        "exception": [],
    }
    for name in public_names(module_name):
        groups[_kind(name, getattr(module, name))].append(name)
    parts = [
        f"# `{module_name}`",
        API_INTROS.get(module_name, ""),
        f"This page lists every public name of `{module_name}`, read from"
        " its `__all__` when the site is built.",
    ]
    headings = {
        "function": "Functions",
        "class": "Classes",
        "data": "Constants and types",
    }
    for kind, heading in headings.items():
        if groups[kind]:
            parts.append(f"## {heading}")
            parts += [f"::: {module_name}.{name}" for name in groups[kind]]
    if groups["exception"]:
        listed = ", ".join(
            f"[`{name}`][denialkit.exceptions.{name}]"
            for name in groups["exception"]
        )
        parts += [
            "## Exceptions",
            "These are documented on the"
            f" [exceptions page](../exceptions.md): {listed}.",
        ]

    return "\n\n".join(parts) + "\n"


def exception_classes() -> str:
    """
    A mkdocstrings block for each class in ``denialkit.exceptions``.
    """
    return "\n\n".join(
        f"::: denialkit.exceptions.{name}"
        for name in public_names("denialkit.exceptions")
    )


def api_pages() -> dict[str, str]:
    return {
        f"reference/api/{name.rpartition('.')[2]}.md": api_page(name)
        for name in API_MODULES
    }


# Logging ---------------------------------------------------------------


def log_calls(src: Path = SRC) -> list[tuple[str, str, str]]:
    """
    Every ``_log.<level>(message, ...)`` call under *src*: the logger name,
    the level and the message format, in file order.
    """
    found = []
    for path in sorted((src / "denialkit").rglob("*.py")):
        module = ".".join(path.relative_to(src).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "_log"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append(
                    (module, node.func.attr.upper(), str(node.args[0].value))
                )

    return found


def log_table(src: Path = SRC) -> str:
    rows = [
        (f"`{logger}`", level, f"`{md(message)}`")
        for logger, level, message in log_calls(src)
    ]

    return _table(("Logger", "Level", "Message"), rows)


# Copied files ----------------------------------------------------------


def _local_links(text: str, keep: Callable[[str], bool]) -> str:
    # Links to files that are not part of the site would break the strict
    # build, so those keep their text and lose the link.
    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"[a-z]+:|#", target) or keep(target):
            return match.group(0)
        return match.group(1)

    return re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", replace, text)


def schema_page(root: Path = ROOT) -> str:
    text = (root / "data" / "SCHEMA.md").read_text(encoding="utf-8")
    text = _local_links(text, lambda target: False)
    note = (
        '\n\n!!! info "Generated page"\n'
        "    This page is `data/SCHEMA.md` from the source tree, the"
        " reference for the files the dataset is built from and for"
        " organisation overlays.\n"
    )
    title, _, body = text.partition("\n")

    return f"{title}{note}\n{body}"


def changelog_page(root: Path = ROOT) -> str:
    path = root / "CHANGELOG.md"
    if not path.exists():
        return "# Changelog\n\nNo changelog has been published yet.\n"
    text = path.read_text(encoding="utf-8")

    return _local_links(text, lambda target: False)


# Putting it together ---------------------------------------------------


def generate(root: Path = ROOT) -> dict[str, str]:
    """
    Every generated page, by its path relative to the docs folder.
    """
    import denialkit
    from denialkit._cli import build_parser

    ids = denialkit.releases()
    newest = denialkit.load(ids[-1])
    pages = code_pages(newest)
    pages.update(release_pages(ids, denialkit.load))
    pages.update(api_pages())
    # Usage lines wrap at the terminal width; fix it so that every build
    # writes the same page.
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"
    try:
        pages["reference/cli.md"] = cli_page(build_parser())
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns
    pages["reference/data-schema.md"] = schema_page(root)
    pages["changelog.md"] = changelog_page(root)

    return pages


def release_nav() -> list[Any]:
    import denialkit

    ids = denialkit.releases()

    return ["releases/index.md"] + [
        {release: f"releases/{release}.md"} for release in reversed(ids)
    ]


# mkdocs hooks ----------------------------------------------------------


def _expand_nav(items: list[Any]) -> None:
    for index, item in enumerate(items):
        if item == "releases/index.md":
            items[index] = {"Releases": release_nav()}
        elif isinstance(item, dict):
            for key, value in item.items():
                if value == "releases/index.md":
                    item[key] = release_nav()
                elif isinstance(value, list):
                    _expand_nav(value)


def on_config(config: Any) -> Any:
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    _expand_nav(config["nav"] or [])

    return config


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for path, content in generate().items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))

    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if LOG_MARKER in markdown:
        markdown = markdown.replace(LOG_MARKER, log_table())
    if EXCEPTIONS_MARKER in markdown:
        markdown = markdown.replace(EXCEPTIONS_MARKER, exception_classes())

    return markdown


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("out", type=Path, help="folder to write pages into")
    args = parser.parse_args(argv)
    for path, content in generate().items():
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
