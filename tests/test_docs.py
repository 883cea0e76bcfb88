"""
The documentation site: its snippets run, its generated pages match the
code and the dataset, and it builds in strict mode.

Every fenced ``python`` block of a page in ``docs/`` runs, in page order,
in one namespace per page, from a scratch folder that holds a link to
``examples/``.  A ``text`` block titled ``Output`` right after a snippet
must equal what the snippet prints.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import denialkit
from denialkit._cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

_FENCE = re.compile(
    r"^```(?P<lang>[\w-]*)(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen_docs", ROOT / "tools" / "gen_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    return module


gen_docs = _load_generator()


def snippets(text: str) -> list[tuple[str, str | None]]:
    """
    The ``python`` blocks of a page, each with the ``Output`` block that
    follows it, or ``None``.
    """
    blocks = list(_FENCE.finditer(text))
    found = []
    for index, block in enumerate(blocks):
        if block.group("lang") != "python":
            continue
        expected = None
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            after is not None
            and after.group("lang") == "text"
            and 'title="Output"' in after.group("info")
            and not text[block.end() : after.start()].strip()
        ):
            expected = after.group("body")
        found.append((block.group("body"), expected))

    return found


def _pages_with_snippets() -> list[Path]:
    pages = sorted(DOCS.rglob("*.md"))

    return [
        page for page in pages if snippets(page.read_text(encoding="utf-8"))
    ]


def run_snippets(text: str, name: str) -> None:
    """
    Run every snippet of *text* in one namespace, checking outputs.
    """
    namespace: dict[str, Any] = {"__name__": f"docs_{name}"}
    for number, (code, expected) in enumerate(snippets(text), 1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"{name}, snippet {number}", "exec"), namespace)

        if expected is not None:
            assert printed.getvalue() == expected, (
                f"{name}, snippet {number} printed something else"
            )


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """
    A scratch working folder with ``examples/`` reachable from it.
    """
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    # The logging page's snippet configures logging as an application
    # would; undo that for the tests that follow.
    package = logging.getLogger("denialkit")
    root = logging.getLogger()
    level, handlers = package.level, list(root.handlers)

    yield tmp_path

    package.setLevel(level)
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)


@pytest.mark.parametrize(
    "page",
    _pages_with_snippets(),
    ids=lambda page: str(page.relative_to(DOCS)),
)
def test_snippets_run_and_print_their_output(
    page: Path, scratch: Path
) -> None:
    """
    Every Python snippet of a hand-written page runs and prints the
    output shown under it.
    """
    text = page.read_text(encoding="utf-8")

    run_snippets(text, str(page.relative_to(DOCS)))


def test_the_tutorial_and_every_how_to_have_snippets() -> None:
    """
    The tutorial and each how-to guide teach with runnable code.
    """
    pages = [DOCS / "tutorial.md", *sorted((DOCS / "how-to").glob("*.md"))]
    pages = [page for page in pages if page.name != "index.md"]

    without = [
        page.name
        for page in pages
        if not snippets(page.read_text(encoding="utf-8"))
    ]

    assert without == []


# Generated pages ---------------------------------------------------------


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return dict(gen_docs.generate())


def test_every_code_of_the_newest_release_has_a_page(
    pages: dict[str, str],
) -> None:
    """
    One page per code of the newest release, in every code set.
    """
    dataset = denialkit.load()

    missing = [
        record.key
        for record in dataset
        if gen_docs.code_path(record.code_set, record.code) not in pages
    ]

    assert missing == []
    assert len(dataset) > 1600


def test_the_r2_page_has_every_part(pages: dict[str, str]) -> None:
    """
    R2, the model page, shows its facts, guidance, letter, sources and
    revisions.
    """
    page = pages["codes/specialty/R2.md"]

    for heading in (
        "# R2: ",
        "## On a remittance",
        "## What it means",
        "## Common causes",
        "## Prevention checklist",
        "## Appeal guidance",
        "### Arguments that work",
        "### Evidence to enclose",
        "## Related codes",
        "## Facts behind the guidance",
        "## Sample letter",
        "## Sources",
        "## Revision history",
        "## Look it up",
    ):
        assert f"\n{heading}" in f"\n{page}", heading
    assert "| Status | Current |" in page
    assert "(../../codes/categories/medical_necessity.md)" in page
    assert "- [ ] " in page
    assert '<div class="dk-letter"' in page
    assert "[Patient Name]" in page
    assert "[CARC 50](../../codes/carc/50.md)" in page


def test_the_r2_page_lookup_snippet_runs(
    pages: dict[str, str], scratch: Path
) -> None:
    """
    The look-up snippet a code page offers works as shown.
    """
    run_snippets(pages["codes/specialty/R2.md"], "codes/specialty/R2.md")


def test_sample_letters_are_drafts_with_placeholders() -> None:
    """
    Each code with guidance gets a draft letter that leaves the patient
    fields as placeholders.
    """
    dataset = denialkit.load()
    records = [record for record in dataset if record.editorial]

    letters = [gen_docs.sample_letter(record, dataset) for record in records]

    assert records
    assert all(letter and "[Patient Name]" in letter for letter in letters)


def test_a_deactivated_code_names_its_successor(
    pages: dict[str, str],
) -> None:
    """
    A deactivated code's page warns and links the code that replaced it.
    """
    page = pages["codes/carc/42.md"]

    assert '!!! warning "Deactivated code"' in page
    assert "Use [CARC 45](../../codes/carc/45.md) instead." in page
    assert "| Status | **Deactivated** |" in page


def test_the_carc_index_lists_every_carc(pages: dict[str, str]) -> None:
    """
    The CARC index has one row per CARC of the newest release.
    """
    carcs = denialkit.load().codes("carc")
    page = pages["codes/carc/index.md"]

    rows = [line for line in page.splitlines() if line.startswith("| [")]

    assert len(rows) == len(carcs)
    assert f"has **{len(carcs)}** codes" in page


def test_every_code_is_on_one_category_page(pages: dict[str, str]) -> None:
    """
    The category pages together list each code exactly once.
    """
    category_pages = [
        text
        for path, text in pages.items()
        if path.startswith("codes/categories/")
        and path != "codes/categories/index.md"
    ]

    rows = [
        line
        for text in category_pages
        for line in text.splitlines()
        if line.startswith("| [")
    ]

    assert len(rows) == len(denialkit.load())


def _future_release(tmp_path: Path) -> Any:
    # A stand-in for a later release: the newest one with one code added
    # and one title changed through an overlay, under a new id.
    overlay = tmp_path / "future.yaml"
    overlay.write_text(
        "name: future release stand-in\n"
        "codes:\n"
        "- {code_set: carc, code: '999', status: current,"
        " title: Invented code for a docs test}\n"
        "- {code_set: carc, code: '29', title: Filed too late}\n",
        encoding="utf-8",
    )
    future = denialkit.load().with_overlay(overlay)
    future.release = "2099.1"

    return future


def test_release_pages_show_each_diff(tmp_path: Path) -> None:
    """
    Every release gets a page with its diff from the one before, and the
    index lists them newest first.
    """
    newest = denialkit.load()
    future = _future_release(tmp_path)
    loaded = {newest.release: newest, "2099.1": future}

    pages = gen_docs.release_pages([newest.release, "2099.1"], loaded.get)

    page = pages["releases/2099.1.md"]
    assert "# Dataset release 2099.1 (newest)" in page
    assert f"## Changes from {newest.release}" in page
    assert "### Added (1)" in page
    assert "[CARC 999](../codes/carc/999.md)" in page
    assert (
        "[CARC 29](../codes/carc/29.md) | `title` |"
        " title: Filing deadline passed → Filed too late |"
    ) in page
    assert "The first release" in pages[f"releases/{newest.release}.md"]
    index = pages["releases/index.md"]
    assert index.index("[2099.1]") < index.index(f"[{newest.release}]")


def test_the_release_nav_has_one_entry_per_release() -> None:
    """
    The Releases section of the navigation lists every release.
    """
    nav = gen_docs.release_nav()

    assert nav[0] == "releases/index.md"
    assert [next(iter(item)) for item in nav[1:]] == denialkit.releases()[::-1]


def test_the_cli_reference_lists_every_command_and_option(
    pages: dict[str, str],
) -> None:
    """
    Each subcommand and each of its visible options is on the CLI page.
    """
    page = pages["reference/cli.md"]
    parser = build_parser()

    for name, sub in gen_docs._subcommands(parser).items():
        assert f"## `denialkit {name}`" in page
        for action in sub._actions:
            if action.help == "==SUPPRESS==":
                continue
            for option in action.option_strings:
                assert f"`{option}`" in page, (name, option)


@pytest.mark.parametrize("module", gen_docs.API_MODULES)
def test_the_api_reference_lists_every_public_name(
    pages: dict[str, str], module: str
) -> None:
    """
    Every name in a public module's ``__all__`` is documented.
    """
    page = pages[f"reference/api/{module.rpartition('.')[2]}.md"]

    for name in gen_docs.public_names(module):
        assert (
            f"::: {module}.{name}\n" in page
            or f"[denialkit.exceptions.{name}]" in page
        ), name


def test_the_exceptions_page_shows_every_exception() -> None:
    """
    Each exception is in the page's tree and gets its reference entry.
    """
    page = (DOCS / "reference" / "exceptions.md").read_text(encoding="utf-8")
    tree = page.split("```text\n", 1)[1].split("```", 1)[0]

    entries = gen_docs.exception_classes()

    assert gen_docs.EXCEPTIONS_MARKER in page
    for name in denialkit.exceptions.__all__:
        assert name in tree, name
        assert f"::: denialkit.exceptions.{name}" in entries


def test_the_logging_page_lists_every_log_call() -> None:
    """
    The logging page gets a row for every log call in the source.
    """
    page = (DOCS / "reference" / "logging.md").read_text(encoding="utf-8")

    calls = gen_docs.log_calls()
    table = gen_docs.log_table()

    assert gen_docs.LOG_MARKER in page
    assert calls
    for logger, level, _ in calls:
        assert level == "DEBUG"
        assert f"| `{logger}` | DEBUG |" in table


def test_the_changelog_page_is_the_changelog(pages: dict[str, str]) -> None:
    """
    The changelog page carries CHANGELOG.md's entries.
    """
    changelog = ROOT / "CHANGELOG.md"
    page = pages["changelog.md"]

    if changelog.exists():
        headings = [
            line
            for line in changelog.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")
        ]
        assert all(heading in page for heading in headings)
    else:
        assert page.startswith("# Changelog")


def test_the_docs_state_the_licences() -> None:
    """
    The site states the dataset licence and the X12 attribution, on the
    licence page and in every page's footer.
    """
    licence = (DOCS / "licence.md").read_text(encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")

    for text in (licence, config):
        assert "CC BY 4.0" in text
        assert "X12" in text
        assert "x12.org" in text


def test_the_screenshot_folder_is_ignored_by_git() -> None:
    """
    The browser test's screenshots stay out of commits: ``artifacts/`` is
    in ``.gitignore``.
    """
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()

    assert "/artifacts/" in ignored


# The built site ----------------------------------------------------------

_built: dict[str, Any] = {}


def build_site() -> Path:
    """
    Build the site in strict mode once per test run and return its folder;
    later calls reuse that build.
    """
    if "error" in _built:
        pytest.fail(_built["error"])
    if "site" in _built:
        return Path(_built["site"])

    folder = Path(tempfile.mkdtemp(prefix="denialkit-docs-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    site = folder / "site"
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(site),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    _built["seconds"] = time.monotonic() - started
    if result.returncode != 0:
        _built["error"] = "mkdocs build --strict failed:\n" + result.stderr
        pytest.fail(_built["error"])
    _built["site"] = str(site)

    return site


def test_the_site_builds_in_strict_mode() -> None:
    """
    ``mkdocs build --strict`` passes, with no broken link or reference,
    and writes a page per code.
    """
    site = build_site()

    pages = list(site.rglob("index.html"))

    assert (site / "codes" / "specialty" / "R2" / "index.html").exists()
    assert (site / "reference" / "api" / "appeals" / "index.html").exists()
    assert len(pages) > len(denialkit.load())
    assert (site / "search" / "search_index.json").exists()
