"""
Every error denialkit raises on purpose.

Each error also subclasses the builtin it resembles, so ``except
LookupError`` or ``except ValueError`` keeps working in code that does not
know denialkit::

    DenialKitError
    ├── CodeSyntaxError (ValueError)          a code of no known form
    ├── UnknownCodeError (LookupError)        no such code in the release
    ├── AmbiguousCodeError (LookupError)      a bare code in two sets
    ├── UnknownReleaseError (LookupError)     no such dataset release
    ├── ReleaseIntegrityError (RuntimeError)  a release file was altered
    ├── DataFileError (ValueError)            a bad data or claim file
    ├── MissingFieldsError (ValueError)       a letter missing fields
    ├── TemplateError (ValueError)            a broken letter section
    └── RemittanceError (ValueError)          an 835 read in strict mode

Messages name codes, releases, files and field paths, never values from a
claim, so they are safe to log.  Each error keeps those facts as attributes
too, so code can act on them without parsing the message.

Added in 0.1.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

__all__ = [
    "AmbiguousCodeError",
    "CodeSyntaxError",
    "DataFileError",
    "DenialKitError",
    "MissingFieldsError",
    "ReleaseIntegrityError",
    "RemittanceError",
    "TemplateError",
    "UnknownCodeError",
    "UnknownReleaseError",
]

_ACCEPTED_FORMS = (
    "'50', 'CO-50', 'co 50', 'CO50', 'N386', 'MA130', 'R2',"
    " 'carc:B2', 'rarc:N386', 'group:CO' or 'specialty:B2'"
)


class DenialKitError(Exception):
    """
    The base of every error denialkit raises on purpose.

    Catch it to handle any denialkit error in one place; the subclasses
    tell what went wrong.

    >>> import denialkit
    >>> try:
    ...     denialkit.lookup("CO-5.0")
    ... except denialkit.DenialKitError as error:
    ...     print(type(error).__name__)
    CodeSyntaxError

    Added in 0.1.0.
    """


class CodeSyntaxError(DenialKitError, ValueError):
    """
    A code string that matches none of the accepted forms.

    The message lists the forms denialkit reads, such as ``"CO-50"``,
    ``"N386"`` and ``"carc:B2"``.

    Attributes:
        text (str): The string as given.

    >>> import denialkit
    >>> try:
    ...     denialkit.lookup("CO-5.0")
    ... except denialkit.CodeSyntaxError as error:
    ...     print(error.text)
    CO-5.0

    Added in 0.1.0.
    """

    def __init__(self, text: str) -> None:
        super().__init__(
            f"{text!r} is not a denial code denialkit can read. Write a code"
            f" in one of these forms: {_ACCEPTED_FORMS}."
        )
        self.text = text


class UnknownCodeError(DenialKitError, LookupError):
    """
    A code that is not in the dataset release asked.

    It is also a :class:`LookupError`.  A newer release may have the
    code; the message says so and suggests close codes that exist.

    Attributes:
        code (str): The code as parsed (upper case, without a group prefix).
        code_set (str | None): The code set searched, or ``None`` for all
            of them.
        release (str): The dataset release searched.
        suggestions (tuple[str, ...]): Close codes that do exist, best first.

    >>> import denialkit
    >>> try:
    ...     denialkit.lookup("carc:9999", release="2026.1")
    ... except denialkit.UnknownCodeError as error:
    ...     print(error.code, error.code_set, error.suggestions)
    9999 carc ('99',)

    Added in 0.1.0.
    """

    def __init__(
        self,
        code: str,
        *,
        code_set: str | None,
        release: str,
        suggestions: Sequence[str] = (),
    ) -> None:
        where = f"{code_set.upper()} code" if code_set else "Code"
        hint = (
            f" Did you mean {_or_list(suggestions)}?"
            if suggestions
            else " Check it for typos."
        )
        super().__init__(
            f"{where} {code!r} is not in dataset release {release}.{hint}"
            " A newer release may have it: `denialkit releases` (or"
            " denialkit.releases()) lists them."
        )
        self.code = code
        self.code_set = code_set
        self.release = release
        self.suggestions = tuple(suggestions)


class AmbiguousCodeError(DenialKitError, LookupError):
    """
    A bare code that exists in more than one code set.

    Prefix the code set to choose one, as in ``"carc:B2"``.  It is also a
    :class:`LookupError`.

    Attributes:
        code (str): The code as parsed.
        candidates (tuple[str, ...]): Each candidate as ``"code_set:code"``.
        release (str): The dataset release searched.

    >>> import denialkit
    >>> try:
    ...     denialkit.lookup("B2", release="2026.1")
    ... except denialkit.AmbiguousCodeError as error:
    ...     print(error.candidates)
    ('carc:B2', 'specialty:B2')

    Added in 0.1.0.
    """

    def __init__(
        self, code: str, *, candidates: Sequence[str], release: str
    ) -> None:
        super().__init__(
            f"{code!r} is ambiguous in dataset release {release}: it is"
            f" {_or_list(candidates)}. Prefix the code set to choose one,"
            f" for example {candidates[0]!r}."
        )
        self.code = code
        self.candidates = tuple(candidates)
        self.release = release


class UnknownReleaseError(DenialKitError, LookupError):
    """
    A dataset release id that this installation does not ship.

    Newer releases come with newer versions of denialkit.  It is also a
    :class:`LookupError`.

    Attributes:
        release (str): The release asked for.
        available (tuple[str, ...]): The releases installed, oldest first.

    >>> import denialkit
    >>> try:
    ...     denialkit.load("1999.1")
    ... except denialkit.UnknownReleaseError as error:
    ...     print(error.release, error.available[0])
    1999.1 2026.1

    Added in 0.1.0.
    """

    def __init__(self, release: str, *, available: Sequence[str]) -> None:
        super().__init__(
            f"Dataset release {release!r} is not installed; this denialkit"
            f" ships {', '.join(available)}. Upgrade denialkit for newer"
            " releases."
        )
        self.release = release
        self.available = tuple(available)


class ReleaseIntegrityError(DenialKitError, RuntimeError):
    """
    A shipped release file whose sha256 does not match the manifest.

    Releases are frozen, so this means the installed copy was changed;
    reinstalling denialkit fixes it.  It is also a :class:`RuntimeError`.

    Attributes:
        release (str): The release whose file failed the check.
        file (str): The file name inside the package.

    >>> error = ReleaseIntegrityError("2026.1", file="codes.json")
    >>> error.file, isinstance(error, RuntimeError)
    ('codes.json', True)

    Added in 0.1.0.
    """

    def __init__(self, release: str, *, file: str) -> None:
        super().__init__(
            f"Dataset release {release} is damaged: {file} does not match"
            " the sha256 in the release manifest. Releases are frozen, so"
            " the installed copy was changed. Reinstall denialkit"
            " (pip install --force-reinstall denialkit)."
        )
        self.release = release
        self.file = file


# A message lists this many problems at most; a file with thousands would
# otherwise make a message of megabytes.
_LISTED_PROBLEMS: Final = 50


class DataFileError(DenialKitError, ValueError):
    """
    A data, overlay or claim file with bad content.

    Data and overlay files are checked whole, so one error lists every
    problem found, in file order.  With one problem the message starts
    with the file and line, then the field path, then what was wrong;
    with several it names the file and the count, then gives one such
    line per problem, for the first 50 problems (``problems`` holds them
    all).  For claim files it never quotes the value, which may be
    patient data.  It is also a :class:`ValueError`.

    The first problem is given as ``problem``, ``file``, ``line`` and
    ``field``; further problems of the same file, each a
    :class:`DataFileError` of its own, as ``more``.

    Attributes:
        file (str | None): The file's name, or ``None`` for data given in
            memory.
        line (int | None): The 1-based line of the (first) problem, when
            known.
        field (str | None): A dotted path to the bad field, such as
            ``claim.service_lines[1].cpt``.
        problem (str): What was wrong and what is expected.
        problems (tuple[DataFileError, ...]): Every problem, in file
            order, each with its own ``file``, ``line``, ``field`` and
            ``problem``; the attributes above are the first one's.

    >>> import denialkit
    >>> from denialkit.appeals import context_from_data
    >>> try:
    ...     context_from_data({}, file="claim.yaml")
    ... except denialkit.DataFileError as error:
    ...     print(error)
    claim.yaml (field practice): is required

    Several problems in one file (invented here):

    >>> error = DataFileError(
    ...     "unknown key 'colour'", file="plan.yaml", line=4,
    ...     more=[DataFileError("expected true or false", file="plan.yaml",
    ...                         line=9, field="facts[0].uncertain")])
    >>> print(error)
    plan.yaml: 2 problems:
      - plan.yaml:4: unknown key 'colour'
      - plan.yaml:9 (field facts[0].uncertain): expected true or false
    >>> [problem.line for problem in error.problems]
    [4, 9]

    Added in 0.1.0.  Changed in 0.2.0: ``problems`` and ``more``, so one
    error reports every problem of a data or overlay file.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        more: Iterable[DataFileError] = (),
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
        others = tuple(more)
        if not others:
            self.problems: tuple[DataFileError, ...] = (self,)
            super().__init__(_locate(problem, file, line, field))
            return

        first = DataFileError(problem, file=file, line=line, field=field)
        self.problems = (first, *others)
        super().__init__(_list_problems(self, limit=_LISTED_PROBLEMS))


def _list_problems(error: DataFileError, *, limit: int | None = None) -> str:
    """
    *error*'s problems as one message: the file and the count, then a
    line per problem, up to *limit* of them.
    """
    if len(error.problems) == 1:
        return str(error.problems[0])
    shown = error.problems[:limit]
    listed = "".join(f"\n  - {each}" for each in shown)
    hidden = len(error.problems) - len(shown)
    if hidden:
        rest = f"{hidden} more (all are in the error's problems)"
        listed += f"\n  … and {rest}"

    return f"{error.file or '<data>'}: {len(error.problems)} problems:{listed}"


class MissingFieldsError(DenialKitError, ValueError):
    """
    A letter that cannot render because fields it needs are empty.

    Every missing field of every section is listed at once; fill them in,
    or render a draft to see placeholders instead.  See
    :func:`denialkit.appeals.render` for how it is raised.

    Attributes:
        missing (tuple[tuple[str, str], ...]): ``(section, field path)``
            pairs, in letter order.
        template (str): The name of the letter template.

    >>> error = MissingFieldsError("demo", [("signature", "signer_name")])
    >>> error.template, error.missing
    ('demo', (('signature', 'signer_name'),))

    Added in 0.1.0.
    """

    def __init__(
        self, template: str, missing: Iterable[tuple[str, str]]
    ) -> None:
        self.template = template
        self.missing = tuple(missing)
        lines = "".join(
            f"\n  - {field} (section {section})"
            for section, field in self.missing
        )
        super().__init__(
            f"Letter {template!r} needs {len(self.missing)} more"
            f" field(s):{lines}\nFill them in the claim file, or render a"
            " draft (draft=True / --draft) to see placeholders instead."
        )


class TemplateError(DenialKitError, ValueError):
    """
    A letter section that is not valid or tried something unsafe.

    Raised for a bad section name, source that is not valid jinja2, or a
    section that reaches for Python internals or renders runaway text.

    Attributes:
        section (str): The section's name.
        problem (str): What was wrong with it.

    >>> import denialkit
    >>> from denialkit.appeals import Section
    >>> try:
    ...     Section("Opening!", "Dear reviewer,")
    ... except denialkit.TemplateError as error:
    ...     print(error.section)
    Opening!

    Added in 0.1.0.
    """

    def __init__(self, section: str, problem: str) -> None:
        super().__init__(f"Section {section!r}: {problem}")
        self.section = section
        self.problem = problem


class RemittanceError(DenialKitError, ValueError):
    """
    An 835 that had problems, raised only in strict mode.

    It is raised once the whole file is read, so it lists every problem.

    Attributes:
        source (str): The name of the 835 that was read.
        problems (tuple[object, ...]): Every problem found, in file order.

    >>> error = RemittanceError("demo.835", ["an invented problem"])
    >>> print(error)
    demo.835: 1 problem(s) in strict mode:
      - an invented problem

    Added in 0.1.0.
    """

    def __init__(self, source: str, problems: Sequence[object]) -> None:
        self.source = source
        self.problems = tuple(problems)
        listed = "".join(f"\n  - {problem}" for problem in self.problems)
        super().__init__(
            f"{source}: {len(self.problems)} problem(s) in strict mode:"
            f"{listed}"
        )


def _locate(
    problem: str, file: str | None, line: int | None, field: str | None
) -> str:
    where = ":".join(
        part for part in (file, str(line) if line else None) if part
    )
    at = f" (field {field})" if field else ""

    return f"{where or '<data>'}{at}: {problem}"


def _or_list(items: Sequence[str]) -> str:
    quoted = [repr(item) for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)

    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
