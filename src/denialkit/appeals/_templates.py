"""
Letter templates as immutable, composable sequences of named sections.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Literal, get_args

import attrs

from ..exceptions import TemplateError

if TYPE_CHECKING:
    from ._letters import LetterFacts

LetterKind = Literal[
    "appeal",
    "reconsideration",
    "peer_to_peer",
    "external_review",
    "corrected_claim",
]
"""
What a letter asks for, which sets its sections and its deadline.

``"appeal"`` (a first-level appeal), ``"reconsideration"`` (a second-level
review, for Medicare a QIC reconsideration), ``"peer_to_peer"`` (a request
to discuss the case with the payer's reviewer), ``"external_review"`` (an
independent external review) or ``"corrected_claim"`` (a cover letter for
a corrected claim).

>>> import denialkit
>>> from denialkit.appeals import builtin_letter
>>> letter = builtin_letter("CO-4", dataset=denialkit.load("2026.1"))
>>> letter.kind
'corrected_claim'

Added in 0.1.0.
"""

LETTER_KINDS: tuple[LetterKind, ...] = get_args(LetterKind)
"""
Every :data:`LetterKind`, in a fixed order.

>>> from denialkit.appeals import LETTER_KINDS
>>> LETTER_KINDS[:2]
('appeal', 'reconsideration')

Added in 0.1.0.
"""

_NAME = re.compile(r"[a-z][a-z0-9_]*")


@attrs.frozen
class Section:
    """
    A named piece of jinja2 source: one part of a letter.

    The source sees the context as ``practice``, ``provider``, ``payer``,
    ``patient``, ``claim``, ``denial``, ``clinical``, ``attachments`` and
    ``letter`` (code, title, argument, deadline and other facts about the
    letter).  :attr:`fields` lists the field paths it reads, found before
    anything renders.  Values from the context are inserted as text and
    never run as template code.

    Attributes:
        name: A unique name within a letter: lower-case letters, digits
            and underscores, starting with a letter.
        source: The jinja2 source; left out of ``repr``.

    Raises:
        TemplateError: *name* is not a valid section name.

    >>> Section("opening", "Dear {{ payer.name }},").fields
    ('payer.name',)

    Added in 0.1.0.
    """

    name: str = attrs.field()
    source: str = attrs.field(repr=False)

    @name.validator
    def _check_name(self, _attribute: object, value: str) -> None:
        if not _NAME.fullmatch(value):
            raise TemplateError(
                value,
                "a section name is lower-case letters, digits and"
                " underscores, starting with a letter",
            )

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """
        Every context field path this section reads, in order.

        Raises:
            TemplateError: the source is not valid jinja2.
        """
        from ._render import section_fields

        return section_fields(self)


def _as_sections(sections: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(sections)


@attrs.frozen
class AppealTemplate:
    """
    An ordered, immutable set of named sections.

    Every change returns a new template; equality and hashing are by value.
    A template iterates over its sections, ``len()`` counts them,
    ``"opening" in template`` tests for a name and ``template["opening"]``
    gets one; ``template + section`` or ``template + other`` appends.

    Attributes:
        name: The template's name, used in messages and logs.
        sections: The sections, in letter order; names are unique.
        kind: What the letter asks for.
        facts: The code-specific facts built-in letters carry (code,
            argument, deadline); ``None`` for your own templates.

    Raises:
        TemplateError: two sections have the same name.

    >>> a = AppealTemplate("t", (Section("one", "1"), Section("two", "2")))
    >>> [s.name for s in a.insert(Section("mid", "m"), after="one")]
    ['one', 'mid', 'two']
    >>> [s.name for s in a.without("one") + Section("end", "e")]
    ['two', 'end']

    Added in 0.1.0.
    """

    name: str
    sections: tuple[Section, ...] = attrs.field(converter=_as_sections)
    kind: LetterKind = "appeal"
    facts: LetterFacts | None = None

    def __attrs_post_init__(self) -> None:
        names = [section.name for section in self.sections]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise TemplateError(
                repeated[0],
                f"appears twice in template {self.name!r}; section names"
                " must be unique (use replace() to swap one)",
            )

    def __iter__(self) -> Iterator[Section]:
        return iter(self.sections)

    def __len__(self) -> int:
        return len(self.sections)

    def __contains__(self, name: object) -> bool:
        return any(section.name == name for section in self.sections)

    def __getitem__(self, name: str) -> Section:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(self._unknown(name))

    def __add__(self, other: object) -> AppealTemplate:
        if isinstance(other, Section):
            added: tuple[Section, ...] = (other,)
        elif isinstance(other, AppealTemplate):
            added = other.sections
        else:
            return NotImplemented

        return attrs.evolve(self, sections=self.sections + added)

    @property
    def names(self) -> tuple[str, ...]:
        """
        The section names, in order.
        """
        return tuple(section.name for section in self.sections)

    @property
    def fields(self) -> tuple[str, ...]:
        """
        Every field path any section reads, once each, in order.
        """
        seen: dict[str, None] = {}
        for section in self.sections:
            seen.update(dict.fromkeys(section.fields))

        return tuple(seen)

    def replace(self, section: Section) -> AppealTemplate:
        """
        Return a new template with the section of the same name swapped.

        Args:
            section: The new section; its name picks the one it replaces.

        Returns:
            A new template, in the same order.

        Raises:
            KeyError: no section has that name.

        >>> letter = AppealTemplate("demo", [Section("opening", "Hi,")])
        >>> new = letter.replace(Section("opening", "Dear reviewer,"))
        >>> new["opening"].source, letter["opening"].source
        ('Dear reviewer,', 'Hi,')
        """
        self._index(section.name)

        return attrs.evolve(
            self,
            sections=tuple(
                section if s.name == section.name else s for s in self.sections
            ),
        )

    def insert(
        self,
        section: Section,
        *,
        before: str | None = None,
        after: str | None = None,
    ) -> AppealTemplate:
        """
        Return a new template with *section* before or after a named one.

        Args:
            section: The section to add; its name must be new.
            before: The name of the section to put it before.
            after: The name of the section to put it after.

        Returns:
            A new template.

        Raises:
            KeyError: the named section does not exist.
            ValueError: neither or both of *before* and *after* are given.
            TemplateError: the template already has a section of that name.

        >>> letter = AppealTemplate("demo", [Section("opening", "Hi,")])
        >>> letter = letter.insert(Section("intro", "Re:"), before="opening")
        >>> letter.names
        ('intro', 'opening')
        """
        if (before is None) == (after is None):
            raise ValueError("give exactly one of before= or after=")
        index = self._index(before or after or "")
        index += 1 if after else 0
        sections = (*self.sections[:index], section, *self.sections[index:])

        return attrs.evolve(self, sections=sections)

    def without(self, *names: str) -> AppealTemplate:
        """
        Return a new template without the named sections.

        Args:
            *names: The names of the sections to leave out.

        Returns:
            A new template.

        Raises:
            KeyError: a name is not a section of this template.

        >>> letter = AppealTemplate(
        ...     "demo", [Section("opening", "Hi,"), Section("ps", "P.S.")]
        ... )
        >>> letter.without("ps").names
        ('opening',)
        """
        for name in names:
            self._index(name)

        return attrs.evolve(
            self,
            sections=tuple(s for s in self.sections if s.name not in names),
        )

    def override(self, sections: Iterable[Section]) -> AppealTemplate:
        """
        Return a new template where each of *sections* replaces the section
        of the same name.

        Unlike :meth:`replace`, sections with names the template does not
        have are ignored, so one folder of house sections (see
        :func:`load_sections`) can override any built-in letter.

        Args:
            sections: The replacement sections.

        Returns:
            A new template, in the same order.

        >>> letter = AppealTemplate("demo", [Section("opening", "Hi,")])
        >>> mine = [Section("opening", "Dear reviewer,"), Section("x", "")]
        >>> letter.override(mine)["opening"].source
        'Dear reviewer,'
        """
        by_name = {section.name: section for section in sections}

        return attrs.evolve(
            self,
            sections=tuple(by_name.get(s.name, s) for s in self.sections),
        )

    def _index(self, name: str) -> int:
        for index, section in enumerate(self.sections):
            if section.name == name:
                return index
        raise KeyError(self._unknown(name))

    def _unknown(self, name: str) -> str:
        return (
            f"template {self.name!r} has no section {name!r}; its sections"
            f" are {', '.join(self.names)}"
        )


def load_sections(folder: str | os.PathLike[str]) -> list[Section]:
    """
    Read every template file in *folder* as a section.

    Each ``*.j2``, ``*.jinja`` or ``*.txt`` file becomes a section named
    after the file (``opening.j2`` is ``opening``); other files are
    skipped.  The files are read as UTF-8.

    Args:
        folder: The folder to read; subfolders are not searched.

    Returns:
        The sections, sorted by file name.

    Raises:
        TemplateError: a file name is not a valid section name.
        FileNotFoundError: the folder does not exist.

    >>> import os, shutil, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "opening.j2"), "w") as stream:
    ...     print("Dear {{ payer.name }},", file=stream)
    >>> [(section.name, section.fields) for section in load_sections(folder)]
    [('opening', ('payer.name',))]
    >>> shutil.rmtree(folder)

    Added in 0.1.0.
    """
    root = os.fspath(folder)
    sections = []
    for entry in sorted(os.listdir(root)):
        stem, ext = os.path.splitext(entry)
        if ext not in (".j2", ".jinja", ".txt"):
            continue
        with open(os.path.join(root, entry), encoding="utf-8") as stream:
            sections.append(Section(stem, stream.read()))

    return sections
