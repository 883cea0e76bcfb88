"""
Turn a rendered letter into text, Markdown, HTML, DOCX or PDF.

Each format escapes the whole letter once: sections are format-neutral
text, so a value such as ``<b>`` or ``*x*`` prints as typed.  DOCX needs
python-docx and PDF needs fpdf2 (the ``docx`` and ``pdf`` extras); they
are imported only when asked for.  Known limit: the PDF uses a built-in
Latin-1 font, so characters outside Latin-1 print as ``?`` (a warning
says how many; the text itself is never logged).
"""

from __future__ import annotations

import html
import io
import re
import warnings
from collections.abc import Callable

from ._render import RenderedLetter

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&=])")
# Characters XML (and so DOCX) cannot hold.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_CSS = """
@page { size: letter; margin: 1in; }
body { font-family: Georgia, 'Times New Roman', serif; font-size: 11.5pt;
       line-height: 1.4; max-width: 6.5in; margin: 0 auto; color: #000; }
section { margin: 0 0 1em 0; }
p { margin: 0; white-space: pre-wrap; }
.draft-banner { border: 2px dashed #a00; color: #a00; padding: .5em;
                margin-bottom: 1em; font-family: sans-serif; }
@media print { .draft-banner { border-color: #000; color: #000; } }
"""


def to_text(letter: RenderedLetter) -> str:
    return letter.text + "\n"


def to_markdown(letter: RenderedLetter) -> str:
    blocks = []
    for name, text in letter.sections:
        if not text:
            continue
        lines = [
            _MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in text.split("\n")
        ]
        if name == "re_block":
            lines[0] = f"**{lines[0]}**"
        elif name == "draft_notice":
            lines = [f"> **{line}**" for line in lines]
        blocks.append("  \n".join(lines))

    return "\n\n".join(blocks) + "\n"


def to_html(letter: RenderedLetter) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(letter.template)}</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    for name, text in letter.sections:
        if name == "draft_notice":
            parts.append(
                f'<div class="draft-banner">{html.escape(text)}</div>'
            )
        elif text:
            parts.append(
                f'<section class="{html.escape(name)}"><p>'
                f"{html.escape(text)}</p></section>"
            )
    parts.append("</body></html>")

    return "\n".join(parts) + "\n"


def to_docx(letter: RenderedLetter) -> bytes:
    import docx  # the `docx` extra: python-docx

    document = docx.Document()
    removed = 0
    for _name, section_text in letter.sections:
        text, count = _NOT_XML.subn("\ufffd", section_text)
        removed += count
        if text:
            paragraph = document.add_paragraph()
            lines = text.split("\n")
            for index, line in enumerate(lines):
                run = paragraph.add_run(line)
                if index < len(lines) - 1:
                    run.add_break()
    if removed:
        warnings.warn(
            f"{removed} control character(s) cannot be stored in DOCX and"
            " print as U+FFFD.",
            UserWarning,
            stacklevel=3,
        )
    stream = io.BytesIO()
    document.save(stream)

    return stream.getvalue()


def to_pdf(letter: RenderedLetter) -> bytes:
    import fpdf  # the `pdf` extra: fpdf2

    pdf = fpdf.FPDF(format="letter")
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("Times", size=11)
    replaced = 0
    text = letter.text.translate(_PLAIN_PUNCTUATION)
    safe = []
    for char in text:
        if char == "\n" or ord(char) < 256:
            safe.append(char)
        else:
            safe.append("?")
            replaced += 1
    if replaced:
        warnings.warn(
            f"{replaced} character(s) outside Latin-1 print as '?' in the"
            " PDF; use DOCX or HTML for such text.",
            UserWarning,
            stacklevel=3,
        )
    pdf.multi_cell(0, 5.5, "".join(safe))

    return bytes(pdf.output())


# Common typographic characters outside Latin-1, printed as their plain
# equivalents in the PDF's core font instead of "?".
_PLAIN_PUNCTUATION = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2022": "-",
        "\u2212": "-",
    }
)


FORMATTERS: dict[str, Callable[[RenderedLetter], str | bytes]] = {
    "text": to_text,
    "markdown": to_markdown,
    "html": to_html,
    "docx": to_docx,
    "pdf": to_pdf,
}
