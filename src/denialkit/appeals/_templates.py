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
LETTER_KINDS: tuple[LetterKind, ...] = get_args(LetterKind)

_NAME = re.compile(r"[a-z][a-z0-9_]*")


@attrs.frozen
class Section:
    """
    A named piece of jinja2 source: one part of a letter.

    The source sees the context as ``practice``, ``provider``, ``payer``,
    ``patient``, ``claim``, ``denial``, ``clinical``, ``attachments`` and
    ``letter`` (code, title, argument, deadline and other facts about the
    letter).  :attr:`fields` lists the field paths it reads, found before
    anything renders.

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
        A new template with the section of the same name swapped.

        Raises:
            KeyError: no section has that name.
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
        A new template with *section* before or after a named one.

        Raises:
            KeyError: the named section does not exist.
            ValueError: neither or both of *before* and *after* are given.
        """
        if (before is None) == (after is None):
            raise ValueError("give exactly one of before= or after=")
        index = self._index(before or after or "")
        index += 1 if after else 0
        sections = (*self.sections[:index], section, *self.sections[index:])

        return attrs.evolve(self, sections=sections)

    def without(self, *names: str) -> AppealTemplate:
        """
        A new template without the named sections.

        Raises:
            KeyError: a name is not a section of this template.
        """
        for name in names:
            self._index(name)

        return attrs.evolve(
            self,
            sections=tuple(s for s in self.sections if s.name not in names),
        )

    def override(self, sections: Iterable[Section]) -> AppealTemplate:
        """
        A new template where each of *sections* replaces the section of
        the same name; sections with new names are ignored.
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
    Read every ``*.j2`` (or ``*.jinja``, ``*.txt``) file in *folder* as a
    section named after the file, sorted by name.

    Raises:
        TemplateError: a file name is not a valid section name.
        FileNotFoundError: the folder does not exist.
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
