"""
Every error denialkit raises on purpose.

Each error also subclasses the builtin it resembles, so ``except
LookupError`` or ``except ValueError`` keeps working in code that does not
know denialkit::

    DenialKitError
    ├── CodeSyntaxError (ValueError)          a code string of no known form
    ├── UnknownCodeError (LookupError)        no such code in the release
    ├── AmbiguousCodeError (LookupError)      a bare code in two code sets
    ├── UnknownReleaseError (LookupError)     no such dataset release
    ├── ReleaseIntegrityError (RuntimeError)  a release file was altered
    ├── DataFileError (ValueError)            a bad data/overlay/claim file
    ├── MissingFieldsError (ValueError)       a letter with unfilled fields
    ├── TemplateError (ValueError)            a section that cannot render
    └── RemittanceError (ValueError)          an 835 read in strict mode

Messages name codes, releases, files and field paths, never values from a
claim, so they are safe to log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
    """


class CodeSyntaxError(DenialKitError, ValueError):
    """
    A code string that matches none of the accepted forms.

    Attributes:
        text: The string as given.
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

    Attributes:
        code: The code as parsed (upper case, without a group prefix).
        code_set: The code set searched, or ``None`` for all of them.
        release: The dataset release searched.
        suggestions: Close codes that do exist, best first.
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
            " A newer release may have it: denialkit.releases() lists them."
        )
        self.code = code
        self.code_set = code_set
        self.release = release
        self.suggestions = tuple(suggestions)


class AmbiguousCodeError(DenialKitError, LookupError):
    """
    A bare code that exists in more than one code set.

    Attributes:
        code: The code as parsed.
        candidates: Each candidate as ``"code_set:code"``.
        release: The dataset release searched.
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

    Attributes:
        release: The release asked for.
        available: The releases installed, oldest first.
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

    Attributes:
        release: The release whose file failed the check.
        file: The file name inside the package.
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


class DataFileError(DenialKitError, ValueError):
    """
    A data, overlay or claim file with bad content.

    Attributes:
        file: The file's name, or ``None`` for data given in memory.
        line: The 1-based line of the problem, when known.
        field: A dotted path to the bad field, such as
            ``claim.service_lines[1].cpt``.
        problem: What was wrong and what is expected.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        where = ":".join(
            part for part in (file, str(line) if line else None) if part
        )
        at = f" (field {field})" if field else ""
        super().__init__(f"{where or '<data>'}{at}: {problem}")
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem


class MissingFieldsError(DenialKitError, ValueError):
    """
    A letter that cannot render because fields it needs are empty.

    Every missing field of every section is listed at once.

    Attributes:
        missing: ``(section, field path)`` pairs, in letter order.
        template: The name of the letter template.
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

    Attributes:
        section: The section's name.
    """

    def __init__(self, section: str, problem: str) -> None:
        super().__init__(f"Section {section!r}: {problem}")
        self.section = section
        self.problem = problem


class RemittanceError(DenialKitError, ValueError):
    """
    An 835 that had problems, raised only in strict mode.

    Attributes:
        problems: Every problem found, in file order.
    """

    def __init__(self, source: str, problems: Sequence[object]) -> None:
        self.source = source
        self.problems = tuple(problems)
        listed = "".join(f"\n  - {problem}" for problem in self.problems)
        super().__init__(
            f"{source}: {len(self.problems)} problem(s) in strict mode:"
            f"{listed}"
        )


def _or_list(items: Sequence[str]) -> str:
    quoted = [repr(item) for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)

    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
