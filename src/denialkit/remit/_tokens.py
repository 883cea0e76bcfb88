"""
Split an X12 byte or text stream into segments, one chunk at a time.

Separators come from each ``ISA`` header: the element separator is the
character right after ``ISA``, the component separator is ``ISA16`` and
the segment terminator the character after it.  Counting separators
rather than bytes also reads headers whose fields are not padded to
their fixed widths.  The repetition separator (``ISA11``) is recorded
only from version 00402 on and only when it is not a letter or digit, as
X12 defines it; no 835 element repeats, so it never splits anything.

Real files add layout the standard does not have: a byte-order mark,
CR LF or a bare newline after each terminator, indentation, blank lines,
or a newline as the terminator itself.  All of it is skipped.
"""

from __future__ import annotations

import codecs
import io
import logging
from collections.abc import Generator, Iterable, Iterator
from typing import Final

import attrs

_log = logging.getLogger(__name__)

CHUNK: Final = 1 << 16
# Enough text to hold any ISA header, padded or not, and what follows.
_HEADER_WINDOW: Final = 512
_LAYOUT: Final = " \t\r\n\ufeff\x00"
_DEFAULT_ELEMENT: Final = "*"
_DEFAULT_COMPONENT: Final = ":"
_DEFAULT_TERMINATOR: Final = "~"

# Segment ids read on the fast path; anything else is stripped of layout
# first.  The list is every segment an 835 and its envelope may hold.
SEGMENT_IDS: Final = frozenset(
    [
        "ISA",
        "IEA",
        "GS",
        "GE",
        "ST",
        "SE",
        "BPR",
        "TRN",
        "CUR",
        "REF",
        "DTM",
        "N1",
        "N2",
        "N3",
        "N4",
        "PER",
        "RDM",
        "LX",
        "TS3",
        "TS2",
        "CLP",
        "CAS",
        "NM1",
        "MIA",
        "MOA",
        "AMT",
        "QTY",
        "SVC",
        "LQ",
        "PLB",
        "TA1",
    ]
)


@attrs.define
class Note:
    """
    Something the tokenizer noticed; the reader turns it into a problem.
    """

    code: str
    severity: str
    message: str
    segment: int
    segment_id: str
    element: int | None = None
    raw: str | None = None


@attrs.define
class Separators:
    """
    The separators in force, and what the envelope declared.
    """

    element: str = _DEFAULT_ELEMENT
    component: str = _DEFAULT_COMPONENT
    terminator: str = _DEFAULT_TERMINATOR
    repetition: str | None = None
    version: str | None = None
    enveloped: bool = True


class Tokenizer:
    """
    Yield the segments of a stream as text, in batches.

    A segment comes without its terminator and without layout, but is
    not split into elements: a reader splits it with the element
    separator of ``separators``, which always holds the separators of
    the segments last yielded.  ``count`` is the number of the last
    segment from the start of the stream, and ``notes`` collects what
    was unusual, in order.  A reader drains ``notes`` as it goes.
    """

    def __init__(self, chunks: Iterable[str]) -> None:
        self._chunks = iter(chunks)
        self.separators = Separators()
        self.count = 0
        self.notes: list[Note] = []

    def note(
        self,
        code: str,
        severity: str,
        message: str,
        *,
        segment_id: str = "",
        element: int | None = None,
        raw: str | None = None,
        ahead: bool = True,
    ) -> None:
        # Header notes are about the segment about to be yielded.
        segment = self.count + 1 if ahead else self.count
        self.notes.append(
            Note(code, severity, message, segment, segment_id, element, raw)
        )

    def _more(self) -> str:
        return next(self._chunks, "")

    def __iter__(self) -> Iterator[list[str]]:
        """
        Yield the segments in batches, one batch per chunk read.

        A chunk with no layout to clean up is yielded as the list that
        splitting it on the terminator gave, with no work per segment;
        the reader splits each segment into elements once, as it needs
        them.
        """
        text = self._start(self._skip_layout(self._more()))
        while text is not None:
            text = yield from self._run(text)

    def _skip_layout(self, text: str) -> str:
        text = text.lstrip(_LAYOUT)
        while not text:
            chunk = self._more()
            if not chunk:
                return ""
            text = chunk.lstrip(_LAYOUT)

        return text

    def _start(self, text: str) -> str | None:
        """
        Read the header at the start of *text*, set the separators, and
        return the text after it, or ``None`` when there is nothing.
        """
        while len(text) < _HEADER_WINDOW:
            chunk = self._more()
            if not chunk:
                break
            text += chunk
        if not text.strip(_LAYOUT):
            self.note(
                "empty",
                "error",
                "The file is empty (or holds only blank lines): there is"
                " no remittance in it.",
            )
            return None
        if text.startswith("ISA") and len(text) > 3:
            return self._envelope(text)
        found = _find_header(text)
        if found > 0:
            self.note(
                "leading-junk",
                "warning",
                f"{found} characters before the first segment are not"
                " X12 and were skipped; check that this is an 835 file.",
            )
            return self._start(text[found:])

        return self._bare(text)

    def _envelope(self, text: str) -> str:
        element = text[3]
        parts = text.split(element, 16)
        last = parts[16] if len(parts) == 17 else ""
        if (
            len(last) < 2
            or last[0].isalnum()
            or last[1].isalnum()
            or last[1] in (element, " ")
        ):
            return self._broken_header(text, element)
        component, terminator = last[0], last[1]
        if terminator == "\r" and last[2:3] == "\n":
            # CR LF right after ISA16 with no other terminator: the
            # newline ends segments; CRs are removed with the layout.
            terminator = "\n"
        version = parts[12].strip()
        repetition: str | None = parts[11]
        if version < "00402" or len(parts[11]) != 1 or parts[11].isalnum():
            repetition = None
        self.separators = Separators(
            element, component, terminator, repetition, version, True
        )
        header_length = len(text) - len(last) + 1
        if header_length != 105:
            self.note(
                "isa-width",
                "warning",
                f"The ISA header is {header_length + 1} characters long"
                " where X12 fixes it at 106; it was read by counting"
                " separators instead. Ask the sender to pad ISA fields to"
                " their fixed widths.",
                segment_id="ISA",
            )
        _log.debug(
            "ISA separators: element %r, component %r, terminator %r.",
            element,
            component,
            terminator,
        )

        return text

    def _broken_header(self, text: str, element: str) -> str:
        self.note(
            "isa-damaged",
            "error",
            "The ISA header does not end in a component separator and a"
            " segment terminator, so the separators cannot be read from"
            " it; the usual ones ('*', ':', '~') were assumed. Check that"
            " the file is complete.",
            segment_id="ISA",
        )
        self.separators = Separators(
            element if not element.isalnum() else _DEFAULT_ELEMENT
        )

        return text

    def _bare(self, text: str) -> str:
        element = text[2:3] if text[:2] == "ST" else _DEFAULT_ELEMENT
        if not element or element.isalnum() or element in _LAYOUT:
            element = _DEFAULT_ELEMENT
        window = text[:_HEADER_WINDOW]
        terminator = _DEFAULT_TERMINATOR
        if terminator not in window and "\n" in window:
            terminator = "\n"
        self.separators = Separators(
            element, _DEFAULT_COMPONENT, terminator, None, None, False
        )
        if text[:2] == "ST":
            self.note(
                "no-envelope",
                "warning",
                "The file starts at ST with no ISA/GS envelope; it was"
                f" read with element separator {element!r}, component"
                f" separator ':' and terminator {terminator!r}.",
                segment_id="ST",
            )
        else:
            self.note(
                "not-x12",
                "error",
                "No ISA or ST segment starts the text, so it is not an"
                " X12 file denialkit can read; nothing was read from it.",
            )
            self._chunks = iter(())
            return ""

        return text

    def _run(self, text: str) -> Generator[list[str], None, str | None]:
        """
        Yield the segments of *text* and of the chunks after it, until the
        stream ends (then return ``None``) or a new ``ISA`` starts (then
        return the text from it on).
        """
        seps = self.separators
        element, terminator = seps.element, seps.terminator
        text = _tidy(text, terminator)
        # The text starts at the header just read; only a later ISA
        # starts a new interchange.
        header = True
        while True:
            pieces = text.split(terminator)
            tail = pieces.pop()
            if header or _needs_care(text, pieces, terminator):
                batch, rest = self._careful(pieces, element, header)
                header = False
                if batch:
                    self.count += len(batch)
                    yield batch
                if rest is not None:
                    rest = rest.lstrip(_LAYOUT) + terminator + tail
                    return self._start(rest)
            else:
                self.count += len(pieces)
                yield pieces
            if pieces and tail.lstrip(_LAYOUT)[:3] == "ISA":
                # A new interchange whose terminator may differ: read its
                # header from the raw text.  (With no piece split off,
                # the tail is still this run's own header.)
                return self._start(tail.lstrip(_LAYOUT))
            chunk = self._more()
            if not chunk:
                break
            text = tail + _tidy(chunk, terminator)
        tail = tail.strip(_LAYOUT)
        if tail:
            self.count += 1
            self.note(
                "no-terminator",
                "warning",
                "The last segment has no segment terminator; it was read"
                " anyway. Check that the file is complete.",
                segment_id=tail.split(element, 1)[0][:3],
                ahead=False,
            )
            yield [tail]

        return None

    def _careful(
        self, pieces: list[str], element: str, header: bool
    ) -> tuple[list[str], str | None]:
        """
        Go through *pieces* one by one, removing layout and stopping at a
        new ``ISA``; returns the segments and, at an ``ISA``, the text
        from it on (joined back with the terminator).
        """
        batch: list[str] = []
        for index, piece in enumerate(pieces):
            tag = piece.split(element, 1)[0]
            if tag not in SEGMENT_IDS:
                piece = piece.lstrip(_LAYOUT).rstrip("\r\n")
                if not piece:
                    continue
                tag = piece.split(element, 1)[0]
            if tag == "ISA" and not (header and index == 0):
                terminator = self.separators.terminator
                return batch, terminator.join(pieces[index:])
            batch.append(piece)

        return batch, None


def _needs_care(text: str, pieces: list[str], terminator: str) -> bool:
    """
    Whether the segments split from *text* need the careful path: one is
    empty or starts with layout, or the text holds a new interchange,
    a byte-order mark or a NUL.
    """
    # The smallest piece is empty or starts below "!" exactly when some
    # piece does; one C-level pass instead of a search per kind of mark,
    # which costs several times more on text dense with terminators.
    if pieces and min(pieces)[:1] < "!":
        return True
    if text.startswith("ISA") or terminator + "ISA" in text:
        return True

    return "\ufeff" in text or "\x00" in text


def _tidy(text: str, terminator: str) -> str:
    # Line breaks are layout unless they end segments: dropping them in
    # bulk keeps the per-segment path short.  X12 data never holds them.
    if terminator == "\n":
        return text.replace("\r", "")
    if terminator == "\r":
        return text.replace("\n", "")

    return text.replace("\r", "").replace("\n", "")


def _find_header(text: str) -> int:
    """
    The offset of the first ``ISA`` or ``ST`` that starts a segment, or
    -1.
    """
    window = text[:_HEADER_WINDOW]
    for tag in ("ISA", "ST"):
        at = window.find(tag)
        while at >= 0:
            after = window[at + len(tag) : at + len(tag) + 1]
            if after and not after.isalnum() and after not in _LAYOUT:
                return at
            at = window.find(tag, at + 1)

    return -1


def text_chunks(text: str, size: int = CHUNK) -> Iterator[str]:
    """
    Cut *text* into chunks, for a source already in memory.
    """
    for start in range(0, len(text), size):
        yield text[start : start + size]


def byte_chunks(
    stream: io.RawIOBase | io.BufferedIOBase | Iterable[bytes],
    notes: list[str],
    size: int = CHUNK,
) -> Iterator[str]:
    """
    Decode a byte stream as UTF-8, chunk by chunk.

    Bytes that are not UTF-8 become U+FFFD; the first time that happens
    ``"not-utf8"`` is appended to *notes*.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    if isinstance(stream, io.IOBase):
        read = stream.read
        blocks: Iterator[bytes] = iter(lambda: read(size) or b"", b"")
    else:
        blocks = iter(stream)
    for block in blocks:
        text = decoder.decode(block)
        if "\ufffd" in text and not notes:
            notes.append("not-utf8")
        if text:
            yield text
    text = decoder.decode(b"", final=True)
    if text:
        yield text
