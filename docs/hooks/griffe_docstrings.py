"""
A griffe extension that makes denialkit's docstrings read well as Markdown.

denialkit's docstrings are Google style with doctest examples, and some
use reStructuredText habits that Markdown does not know.  Before
mkdocstrings renders a docstring, this extension:

- turns each run of doctest lines (``>>>`` and the output after them)
  into a fenced ``pycon`` block, so they are not read as block quotes;
- turns a literal block introduced by ``::`` into a fenced block;
- turns roles such as :func:`load` or :meth:`Dataset.diff` into links
  to the API reference when the name is public and documented, and into
  inline code otherwise.

The docstrings themselves are not changed; pytest still runs the
doctests as written.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import griffe

# Public modules in the order a bare name is looked up; exceptions come
# first because denialkit re-exports them but documents them there.
_PUBLIC = (
    "denialkit.exceptions",
    "denialkit.appeals",
    "denialkit.remit",
    "denialkit",
)
_ROLE = re.compile(
    r":(?:py:)?(?:func|class|meth|mod|attr|exc|data|obj|const):`~?\.?([^`]+)`"
)
_FENCE = re.compile(r"^\s*(```|~~~)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _fence(lines: list[str], language: str, indent: str) -> list[str]:
    width = min((_indent(line) for line in lines if line.strip()), default=0)
    body = [line[width:] if line.strip() else "" for line in lines]
    while body and not body[-1]:
        body.pop()

    return [
        f"{indent}```{language}",
        *(indent + b for b in body),
        f"{indent}```",
    ]


def literal_blocks(text: str) -> str:
    """
    Fence the indented block that follows a line ending in ``::``.
    """
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.rstrip().endswith("::"):
            out.append(line)
            index += 1
            continue
        out.append(line.rstrip()[:-1])
        base = _indent(line)
        index += 1
        block: list[str] = []
        while index < len(lines) and (
            not lines[index].strip() or _indent(lines[index]) > base
        ):
            block.append(lines[index])
            index += 1
        code = [b for b in block if b.strip()]
        first = code[0].lstrip() if code else ""
        language = "pycon" if first.startswith(">>>") else "text"
        out += ["", *_fence(block, language, " " * base)]
        if index < len(lines):
            out.append("")

    return "\n".join(out)


def doctest_blocks(text: str) -> str:
    """
    Fence every run of doctest lines that is not fenced yet.
    """
    lines = text.split("\n")
    out: list[str] = []
    fenced = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not line.lstrip().startswith(">>>"):
            out.append(line)
            index += 1
            continue
        block = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        if out and out[-1].strip():
            out.append("")
        out += _fence(block, "pycon", " " * _indent(block[0]))

    return "\n".join(out)


def _public_identifier(target: str) -> str | None:
    parts = target.split(".")
    candidates = []
    if target.startswith("denialkit."):
        for prefix in sorted(_PUBLIC, key=len, reverse=True):
            if target.startswith(prefix + "."):
                rest = target[len(prefix) + 1 :].split(".")
                candidates.append((prefix, rest))
                break
    else:
        candidates += [(prefix, parts) for prefix in _PUBLIC]
    for module_name, rest in candidates:
        module = importlib.import_module(module_name)
        if rest[0] not in getattr(module, "__all__", ()):
            continue
        value: Any = module
        try:
            for name in rest:
                value = getattr(value, name)
        except AttributeError:
            continue
        return f"{module_name}.{'.'.join(rest)}"

    return None


def roles(text: str) -> str:
    """
    Replace reStructuredText roles with links or inline code.
    """

    def replace(match: re.Match[str]) -> str:
        target = match.group(1)
        shown = (
            target.rsplit(".", 1)[-1] if match.group(0).count("~") else target
        )
        identifier = _public_identifier(target)
        if identifier is None:
            return f"`{shown}`"
        return f"[`{shown}`][{identifier}]"

    return _ROLE.sub(replace, text)


def to_markdown(text: str) -> str:
    """
    All three conversions, in the order they must run.
    """
    return roles(doctest_blocks(literal_blocks(text)))


class MarkdownDocstrings(griffe.Extension):
    """
    Rewrite each docstring with :func:`to_markdown` once loading is done.
    """

    def _convert(self, obj: Any) -> None:
        docstring = getattr(obj, "docstring", None)
        if docstring is not None and docstring.value:
            docstring.value = to_markdown(docstring.value)

    def on_object(self, *, obj: Any, **kwargs: Any) -> None:
        self._convert(obj)

    def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
        self._convert(pkg)
