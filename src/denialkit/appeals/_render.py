"""
Render letters through one sandboxed jinja2 environment.

Every letter is compiled once into a single template (sections joined by
a separator character) and cached by value.  Values from the context are
data: they are inserted as text, never parsed as template code, and each
output format escapes them (HTML, Markdown).  Rendering is strict: a field
a section prints, loops over or tests without ``is defined`` must be
present, and every missing one in every section is reported together
before any text is returned.  ``draft=True`` prints visible placeholders
such as ``[Patient Name]`` instead.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import re
import warnings
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal, NoReturn

import attrs
import jinja2
import jinja2.nodes
import jinja2.sandbox

from .._logging import debug
from ..exceptions import MissingFieldsError, TemplateError
from ._context import AppealContext

if TYPE_CHECKING:
    from ._letters import LetterFacts
    from ._templates import AppealTemplate, Section


Format = Literal["text", "markdown", "html", "docx", "pdf"]
"""
An output format of :func:`render`.

``"text"``, ``"markdown"`` and ``"html"`` render to ``str``; ``"docx"``
and ``"pdf"`` render to ``bytes`` and need the ``docx`` and ``pdf``
extras (python-docx, fpdf2).  Each format escapes the whole letter once,
so values print as typed.

>>> import typing
>>> from denialkit.appeals import FORMATS, Format
>>> typing.get_args(Format) == FORMATS
True

Added in 0.1.0.
"""

FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "docx", "pdf")
"""
Every :data:`Format`, in a fixed order.

>>> from denialkit.appeals import FORMATS
>>> FORMATS
('text', 'markdown', 'html', 'docx', 'pdf')

Added in 0.1.0.
"""

# Separates sections in the one compiled template of a letter; removed
# from values so a value can never forge a section boundary.
_SEP = "\x1e"
_SECTION = re.compile(rf"{_SEP}([a-z0-9_]+){_SEP}")

_missing: ContextVar[list[str] | None] = ContextVar("_missing", default=None)


class LateAppealWarning(UserWarning):
    """
    Warns that a letter is dated after its appeal deadline.

    :func:`render` issues it for letters whose facts carry a deadline
    (built-in appeal, reconsideration and external-review letters) when
    the context's ``letter_date`` is past that deadline; the payer may
    dismiss such an appeal unless good cause is shown.  The letter is
    still rendered.  Draft renders do not warn.

    >>> import warnings, denialkit
    >>> from denialkit.appeals import AppealTemplate, Section, builtin_letter
    >>> from denialkit.appeals import context_from_data, render
    >>> context = context_from_data({
    ...     "practice": {"name": "Demo"}, "claim": {"number": "C-1"},
    ...     "payer": {"name": "Demo Plan", "payer_type": "commercial"},
    ...     "patient": {"name": "Pat Example", "member_id": "X-1"},
    ...     "denial": {"codes": ["CO-50"], "notice_date": "2020-03-02"},
    ...     "letter_date": "2026-03-02"})
    >>> facts = builtin_letter("CO-50", dataset=denialkit.load("2026.1")).facts
    >>> late = AppealTemplate("late", [Section("hi", "Hello")], facts=facts)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = render(late, context)
    >>> [warning.category.__name__ for warning in caught]
    ['LateAppealWarning']

    Added in 0.1.0.
    """


class _Node(dict[str, Any]):
    """A mapping in template data that knows its field path."""

    __slots__ = ("_path",)

    def __init__(self, path: str, items: Mapping[str, Any]) -> None:
        super().__init__(items)
        self._path = path

    def __repr__(self) -> str:
        # The values are patient data; only the field names show.
        return f"<template data {self._path}: {', '.join(self)}>"


class _Items(list[Any]):
    """A list in template data that knows its field path."""

    __slots__ = ("_path",)

    def __init__(self, path: str, items: list[Any]) -> None:
        super().__init__(items)
        self._path = path

    def __repr__(self) -> str:
        return f"<template data {self._path}: {len(self)} item(s)>"


_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[\]|\[\d+\])*")
_FIELD_PATH = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(?:\[\]|\[\d+\])*"
    r"(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\]|\[\d+\])*)*"
)


def _undefined_path(undefined: jinja2.Undefined) -> str:
    parent = undefined._undefined_obj
    name = str(undefined._undefined_name)
    if isinstance(parent, _Node | _Items):
        name = f"{parent._path}.{name}" if _FIELD_NAME.fullmatch(name) else ""
        return name or f"{parent._path}[<computed key>]"
    # A name computed from a value (a subscript with a field's value) must
    # never be reported: it could be patient data.
    return name if _FIELD_PATH.fullmatch(name) else "<computed field>"


# Attributes jinja's sandbox looks up on anything it calls; they are not
# fields, so an undefined value must not pretend to have them.
_JINJA_PROBES = frozenset(
    {"unsafe_callable", "alters_data", "jinja_pass_arg", "environmentfunction"}
)


class _StrictUndefined(jinja2.StrictUndefined):
    """
    Strict, but records each missing field and carries on, so that every
    missing field is found in one pass; the caller then raises.
    """

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        found = _missing.get()
        unsafe = issubclass(
            self._undefined_exception, jinja2.exceptions.SecurityError
        )
        if found is None or unsafe:
            super()._fail_with_undefined_error()
        else:
            found.append(_undefined_path(self))

        return ""

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__" or name in _JINJA_PROBES:
            raise AttributeError(name)

        return type(self)(name=f"{_undefined_path(self)}.{name}")

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        self._fail_with_undefined_error()

        return iter(())

    def __bool__(self) -> bool:  # type: ignore[override]
        self._fail_with_undefined_error()

        return False

    def __len__(self) -> int:  # type: ignore[override]
        self._fail_with_undefined_error()

        return 0

    def __hash__(self) -> int:  # type: ignore[override]
        return id(self)

    def __getitem__(self, key: Any) -> Any:
        self._fail_with_undefined_error()

        return type(self)(name=f"{_undefined_path(self)}[]")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._fail_with_undefined_error()

        return self

    def _compare(self, other: Any) -> bool:
        self._fail_with_undefined_error()

        return False

    def _operate(self, *args: Any) -> Any:
        self._fail_with_undefined_error()

        return self

    __str__ = _fail_with_undefined_error
    # jinja2 types these as never returning; ours record and carry on.
    __eq__ = __ne__ = _compare  # type: ignore[assignment]
    __lt__ = __le__ = _compare  # type: ignore[assignment]
    __gt__ = __ge__ = _compare  # type: ignore[assignment]
    __contains__ = _compare  # type: ignore[assignment]
    __add__ = __radd__ = __sub__ = __rsub__ = _operate
    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _operate
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _operate
    __pos__ = __neg__ = __pow__ = __rpow__ = _operate
    __int__ = __float__ = __complex__ = _operate


class _Placeholder(jinja2.Undefined):
    """
    Draft mode: a missing field prints as ``[Patient Name]``.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__" or name in _JINJA_PROBES:
            raise AttributeError(name)

        return type(self)(name=f"{_undefined_path(self)}.{name}")

    def __str__(self) -> str:
        if issubclass(
            self._undefined_exception, jinja2.exceptions.SecurityError
        ):
            self._fail_with_undefined_error()
        return placeholder(_undefined_path(self))

    def __iter__(self) -> Iterator[Any]:
        yield type(self)(name=f"{_undefined_path(self)}[]")

    def __bool__(self) -> bool:
        return True

    def __len__(self) -> int:
        return 1


# Words a biller uses for the fields whose names read like code; any
# other field is named by the last two names of its path.
_LABELS: Final = {
    "claim.payer_claim_number": "Payer Claim Number",
    "claim.service_lines[].billed": "Billed Amount",
    "claim.service_lines[].cpt": "Procedure Code",
    "claim.service_lines[].date_of_service": "Date of Service",
    "claim.service_lines[].modifiers": "Modifiers",
    "claim.service_lines[].units": "Units",
    "denial.correction": "Description of the Correction",
    "denial.decision_contractor": "Contractor Name",
    "denial.notice_date": "Notice Date",
    "denial.original_submission_date": "Original Submission Date",
    "denial.prior_authorization_number": "Authorization Number",
    "denial.stated_reason": "Reason the Payer Gave",
    "denial.submission_proof": "Proof of Timely Filing",
    "patient.address_lines": "Patient Address",
    "patient.date_of_birth": "Date of Birth",
    "patient.member_id": "Member ID",
    "payer.appeals_address_lines": "Payer Appeals Address",
    "practice.address_lines": "Practice Address",
}
_WORDS: Final = {"Id": "ID", "Npi": "NPI", "Cpt": "CPT", "Of": "of"}


def placeholder(path: str) -> str:
    """
    Make the visible placeholder that draft mode prints for a field path.

    Fields of the built-in sections are named as a biller would name
    them; any other field by the last two names in its path, so drafts
    show where each missing value goes.

    Args:
        path: A field path such as ``"patient.name"``, or
            ``"claim.service_lines[].cpt"`` for a field of each list item.

    Returns:
        The placeholder, in square brackets and title case.

    >>> placeholder("patient.name")
    '[Patient Name]'
    >>> placeholder("clinical.guideline.topic")
    '[Guideline Topic]'
    >>> placeholder("claim.service_lines[].cpt")
    '[Procedure Code]'
    >>> placeholder("claim.service_lines[0].date_of_service")
    '[Date of Service]'
    >>> placeholder("practice.address_lines[]")
    '[Practice Address]'

    Added in 0.1.0; built-in fields read as words since 0.2.0.
    """
    # An item of a missing list (``practice.address_lines[]``) stands for
    # the whole list.
    field = re.sub(r"\[\d*\]", "[]", path).removesuffix("[]")
    label = _LABELS.get(field)
    if label is None:
        parts = [p for p in re.split(r"[.\[\]]+", path) if p]
        words = " ".join(parts[-2:]).replace("_", " ").title().split()
        label = " ".join(_WORDS.get(word, word) for word in words)

    return f"[{label}]"


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and _SEP in value:
        return value.replace(_SEP, "")

    return value


# A letter has no business producing megabytes of text.
MAX_OUTPUT = 200_000


class _Environment(jinja2.sandbox.ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Template data is plain mappings of our own: a field is a key, so
        # look it up directly instead of trying (and failing) an attribute
        # first, which costs an exception per field.  Dict methods stay
        # out of reach of "patient.items" and the like.
        if type(obj) is _Node:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)

        return super().getattr(obj, attribute)

    def call_binop(
        self, context: Any, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise jinja2.exceptions.SecurityError("exponent too large")
        if operator == "*":
            sized, count = (
                (left, right) if isinstance(right, int) else (right, left)
            )
            if (
                isinstance(count, int)
                and isinstance(sized, str | list | tuple)
                and len(sized) * count > MAX_OUTPUT
            ):
                raise jinja2.exceptions.SecurityError("repetition too large")

        return super().call_binop(context, operator, left, right)


def _make_environment(undefined: type[jinja2.Undefined]) -> _Environment:
    # Autoescape is off on purpose: sections are format-neutral text, and
    # each output format escapes the whole rendered text exactly once.
    env = _Environment(
        undefined=undefined,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Letters need none of jinja's helper globals; lipsum and friends
    # only widen what a user section can do.
    for name in ("lipsum", "cycler", "joiner", "namespace", "dict"):
        env.globals.pop(name, None)

    return env


_strict_env = _make_environment(_StrictUndefined)


@lru_cache(maxsize=1)
def _draft_environment() -> _Environment:
    # Built on first use: most processes never render a draft.
    return _make_environment(_Placeholder)


def joined_source(sources: tuple[tuple[str, str], ...]) -> str:
    """
    The one template a letter compiles to: its sections, each starting a
    line after a separator that names it.
    """
    return "".join(f"{_SEP}{name}{_SEP}{source}\n" for name, source in sources)


def letter_key(joined: str) -> str:
    """
    The name of a letter's precompiled code: the sha1 of its source.
    """
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


@lru_cache(maxsize=256)
def _compile(
    sources: tuple[tuple[str, str], ...], draft: bool
) -> jinja2.Template:
    env = _draft_environment() if draft else _strict_env
    joined = joined_source(sources)
    template = _precompiled(env, joined)
    if template is not None:
        return template
    try:
        template = env.from_string(joined)
    except jinja2.TemplateSyntaxError:
        # Parse the sections one by one to name the broken one: an
        # unclosed block is only noticed sections later in the whole.
        for name, source in sources:
            try:
                env.parse(source)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    name,
                    f"is not valid jinja2 (line {exc.lineno}): {exc.message}",
                ) from None
        raise
    debug(__name__, "Compiled a letter of %d sections.", len(sources))

    return template


@lru_cache(maxsize=1)
def _precompiled_letters() -> dict[str, str]:
    # Code jinja2 generated for each built-in letter, by letter key, when
    # it was generated by the installed jinja2 version; else nothing.
    from .._release import read_package_file

    shipped = json.loads(read_package_file("appeals/letters.json"))
    if shipped["jinja2"] != jinja2.__version__:
        return {}
    letters: dict[str, str] = shipped["letters"]

    return letters


def _precompiled(env: _Environment, joined: str) -> jinja2.Template | None:
    # The built-in letters ship with the code jinja2 generates for them
    # (tools/build_letters.py), so a first letter skips jinja2's parser
    # and code generator.  Any other letter, or another jinja2 version,
    # compiles as usual.
    code = _precompiled_letters().get(letter_key(joined))
    if code is None:
        return None
    # A fresh namespace per environment: jinja2 binds the environment
    # into the namespace the template's functions read.
    namespace: dict[str, Any] = {"__file__": "<denialkit letter>"}
    exec(compile(code, "<denialkit letter>", "exec"), namespace)

    return env.template_class.from_module_dict(
        env, namespace, env.make_globals(None)
    )


# The names a section can read: the context's fields and the letter.
_ROOTS = frozenset(
    {*(field.name for field in attrs.fields(AppealContext)), "letter"}
)


def section_fields(section: Section) -> tuple[str, ...]:
    """
    The field paths a section reads, found from its parsed source.
    """
    try:
        tree = _strict_env.parse(section.source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            section.name,
            f"is not valid jinja2 (line {exc.lineno}): {exc.message}",
        ) from None
    found: dict[str, None] = {}
    _walk(tree, {}, found)

    return tuple(p for p in found if p.split(".")[0].split("[")[0] in _ROOTS)


def _chain(node: jinja2.nodes.Node, scope: Mapping[str, str]) -> str | None:
    if isinstance(node, jinja2.nodes.Name):
        return scope.get(node.name, node.name)
    if isinstance(node, jinja2.nodes.Getattr):
        base = _chain(node.node, scope)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, jinja2.nodes.Getitem) and isinstance(
        node.arg, jinja2.nodes.Const
    ):
        base = _chain(node.node, scope)
        if base is None:
            return None
        key = node.arg.value
        return f"{base}[{key}]" if isinstance(key, int) else f"{base}.{key}"

    return None


def _names(target: jinja2.nodes.Node) -> list[str]:
    if isinstance(target, jinja2.nodes.Name):
        return [target.name]

    return [name.name for name in target.find_all(jinja2.nodes.Name)]


def _walk(
    node: jinja2.nodes.Node, scope: dict[str, str], found: dict[str, None]
) -> None:
    if isinstance(node, jinja2.nodes.For):
        _walk(node.iter, scope, found)
        inner = dict(scope)
        loop_path = _chain(node.iter, scope)
        for target in _names(node.target):
            inner[target] = f"{loop_path}[]" if loop_path else "?"
        inner["loop"] = ""
        for child in (*node.body, *node.else_):
            _walk(child, inner, found)
        return
    if isinstance(node, jinja2.nodes.Assign):
        _walk(node.node, scope, found)
        value = _chain(node.node, scope) or ""
        for target in _names(node.target):
            scope[target] = value
        return
    if isinstance(
        node, jinja2.nodes.Name | jinja2.nodes.Getattr | jinja2.nodes.Getitem
    ):
        path = _chain(node, scope)
        if path:
            found[path] = None
            return
    for child in node.iter_child_nodes():
        _walk(child, scope, found)


# Template data ----------------------------------------------------------


def _text(value: Any, path: str = "") -> Any:
    if isinstance(value, datetime.date):
        return f"{value:%B} {value.day}, {value.year}"
    if isinstance(value, decimal.Decimal):
        if path.endswith(".units"):
            return f"{value.normalize():f}"
        return f"${value:,.2f}"

    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _data(value: Any, path: str) -> Any:
    if attrs.has(type(value)):
        items = {}
        for field in attrs.fields(type(value)):
            name = field.name.lstrip("_")
            item = _data(getattr(value, field.name), f"{path}.{name}")
            if not _blank(item) and item != []:
                items[name] = item
        for extra in ("first_date_of_service", "last_date_of_service"):
            if hasattr(value, extra) and getattr(value, extra) is not None:
                items[extra] = _text(getattr(value, extra))
        return _Node(path, items)
    if isinstance(value, tuple | list):
        # Blank items are dropped, never printed as "None" or an empty line.
        kept = [item for item in value if not _blank(item)]
        return _Items(
            path, [_data(item, f"{path}[{i}]") for i, item in enumerate(kept)]
        )
    if _blank(value):
        return None
    if isinstance(value, str | bool | int):
        return value

    return str(_text(value, path))


def to_template_data(context: AppealContext) -> dict[str, Any]:
    """
    The context as nested plain data, keyed by field name.
    """
    data: dict[str, Any] = {}
    for field in attrs.fields(type(context)):
        value = _data(getattr(context, field.name), field.name)
        if value is not None and value != []:
            data[field.name] = value

    return data


# Rendering -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RenderedLetter:
    """
    A rendered letter, section by section, before it is formatted.

    :func:`render_sections` returns it; its text is patient data, so
    ``repr`` shows only how many sections there are.

    Attributes:
        template: The name of the template rendered.
        sections: ``(section name, text)`` pairs in letter order; a
            section that rendered nothing has empty text.
        draft: Whether missing fields were printed as placeholders.

    >>> letter = RenderedLetter(template="demo", draft=False,
    ...                         sections=(("one", "Hi,"), ("two", "Bye.")))
    >>> letter
    RenderedLetter(template='demo', sections=<2 sections, masked>, draft=False)
    >>> letter.text.splitlines()
    ['Hi,', '', 'Bye.']

    Added in 0.1.0.
    """

    template: str
    sections: tuple[tuple[str, str], ...] = attrs.field(
        repr=lambda sections: f"<{len(sections)} sections, masked>"
    )
    draft: bool

    @property
    def text(self) -> str:
        """
        The letter as plain text.
        """
        return "\n\n".join(text for _, text in self.sections if text)


# The first section of every draft: built-in arguments are model
# paragraphs, and a draft was made without the facts that confirm them.
_DRAFT_NOTICE: Final = (
    "DRAFT, NOT READY TO SEND: check every statement in this letter"
    " against the patient's record, replace each [bracketed] item, and"
    " delete whatever does not fit this claim."
)


def render_sections(
    template: AppealTemplate,
    context: AppealContext,
    *,
    facts: LetterFacts | None = None,
    draft: bool = False,
) -> RenderedLetter:
    """
    Render each section of *template* as text, without formatting it.

    Use it to inspect or post-process a letter section by section;
    :func:`render` formats the result.  Unlike :func:`render`, it does
    not warn about late letters.

    Args:
        template: The letter; see :func:`builtin_letter`.
        context: The claim, patient, payer and practice facts.
        facts: The code-specific facts of the letter; defaults to the
            template's own (built-in letters carry them).
        draft: Print ``[Field Name]`` placeholders for missing fields
            instead of raising, and open the letter with a section named
            ``draft_notice`` that says it is a draft to check.  Sections
            see ``draft`` defined (as ``True``) only in a draft.

    Returns:
        The rendered letter, section by section.

    Raises:
        MissingFieldsError: fields are missing (not in draft mode); every
            missing field of every section is listed.
        TemplateError: a section is not valid jinja2, reaches for Python
            internals, or renders too much text.

    >>> from denialkit.appeals import AppealTemplate, Section
    >>> from denialkit.appeals import context_from_data
    >>> context = context_from_data({
    ...     "practice": {"name": "Demo"}, "claim": {"number": "C-1"},
    ...     "payer": {"name": "Demo Plan", "payer_type": "commercial"},
    ...     "patient": {"name": "Pat Example", "member_id": "X-1"},
    ...     "denial": {"codes": ["CO-50"], "notice_date": "2026-03-02"}})
    >>> note = AppealTemplate("note", [Section("hi", "To {{ payer.name }}")])
    >>> render_sections(note, context).sections
    (('hi', 'To Demo Plan'),)

    Added in 0.1.0; since 0.2.0 a draft opens with a draft notice and a
    built-in letter needs its attachments unless it is a draft.
    """
    if facts is None:
        facts = template.facts
    sources = tuple((s.name, s.source) for s in template.sections)
    compiled = _compile(sources, draft)
    data = dict(context.template_data)
    if facts is not None:
        data["letter"] = facts.data(context)
    if draft:
        # Sections may offer suggestions in a draft that a finished
        # letter must have as facts (the enclosures do).
        data["draft"] = True
        output = _run(compiled, data, template.name)
    else:
        found: list[str] = []
        token = _missing.set(found)
        try:
            output = _run(compiled, data, template.name)
        finally:
            _missing.reset(token)
        if found:
            _raise_missing(template, compiled, data)
    parts = _SECTION.split(output)[1:]
    sections = tuple(
        (parts[i], parts[i + 1].strip()) for i in range(0, len(parts), 2)
    )
    if draft:
        sections = (("draft_notice", _DRAFT_NOTICE), *sections)

    return RenderedLetter(
        template=template.name, sections=sections, draft=draft
    )


_RENDER_ERRORS = (
    jinja2.TemplateError,
    TypeError,
    ValueError,
    AttributeError,
    LookupError,
    ArithmeticError,
    RecursionError,
    MemoryError,
)


def _run(compiled: jinja2.Template, data: dict[str, Any], name: str) -> str:
    try:
        output = compiled.render(data)
    except _RENDER_ERRORS as exc:
        raise _render_error(compiled, data, exc) from None
    if len(output) > MAX_OUTPUT:
        raise TemplateError(
            name,
            f"renders {len(output):,} characters; a letter is limited to"
            f" {MAX_OUTPUT:,}. Check user sections for runaway loops.",
        )

    return output


def _render_error(
    compiled: jinja2.Template, data: dict[str, Any], exc: BaseException
) -> TemplateError:
    # Find the section that failed by rendering again, chunk by chunk.
    section = "?"
    try:
        for chunk in compiled.generate(data):
            names = _SECTION.findall(chunk)
            if names:
                section = names[-1]
    except _RENDER_ERRORS:
        pass
    if isinstance(exc, jinja2.exceptions.SecurityError):
        # The sandbox's message names attributes and types, never values.
        return TemplateError(
            section,
            "tried something letters may not do"
            f" ({exc}). Use only the context fields.",
        )

    # Other messages can quote field values, so only the kind is given.
    return TemplateError(
        section,
        f"could not render ({type(exc).__name__}). Check the section's"
        " expressions against the fields it uses.",
    )


def _raise_missing(
    template: AppealTemplate, compiled: jinja2.Template, data: dict[str, Any]
) -> NoReturn:
    # Slow path, taken only to report: walk the output to tell which
    # section each missing field belongs to.
    found: list[str] = []
    missing: dict[tuple[str, str], None] = {}
    section = "?"
    token = _missing.set(found)
    try:
        for chunk in compiled.generate(data):
            for path in found:
                missing[(section, path)] = None
            found.clear()
            names = _SECTION.findall(chunk)
            if names:
                section = names[-1]
        for path in found:
            missing[(section, path)] = None
    finally:
        _missing.reset(token)
    debug(
        __name__,
        "Letter %s is missing %d field(s).",
        template.name,
        len(missing),
    )

    raise MissingFieldsError(template.name, list(missing))


def render(
    template: AppealTemplate,
    context: AppealContext,
    *,
    format: Format = "text",
    draft: bool = False,
    facts: LetterFacts | None = None,
) -> str | bytes:
    """
    Render a letter in one format.

    Rendering is strict: every field a section reads must be in the
    context, and all missing ones are reported together.  With
    ``draft=True`` they print as placeholders instead, for a letter to
    review before the claim file is complete.

    Args:
        template: The letter; see :func:`builtin_letter`.
        context: The claim, patient, payer and practice facts.
        format: ``"text"``, ``"markdown"``, ``"html"`` (strings), or
            ``"docx"`` and ``"pdf"`` (bytes; need the ``docx`` / ``pdf``
            extras).
        draft: Print ``[Field Name]`` placeholders for missing fields
            instead of raising, under a first line that says the letter
            is a draft to check before sending.
        facts: The code-specific facts of the letter; defaults to the
            template's own (built-in letters carry them).

    Returns:
        The letter, as ``str`` for text, Markdown and HTML, or as
            ``bytes`` for DOCX and PDF.

    Raises:
        MissingFieldsError: fields are missing (not in draft mode); every
            missing field of every section is listed.
        TemplateError: a section is not valid jinja2, reaches for Python
            internals or renders too much text, or the letter kind does
            not exist for the payer type.
        ValueError: an unknown format.
        ModuleNotFoundError: the extra for DOCX or PDF is not installed.

    Warns:
        LateAppealWarning: the letter date is after the appeal deadline.

    >>> from denialkit.appeals import AppealTemplate, Section
    >>> from denialkit.appeals import context_from_data
    >>> context = context_from_data({
    ...     "practice": {"name": "Demo"}, "claim": {"number": "C-1"},
    ...     "payer": {"name": "Demo Plan", "payer_type": "commercial"},
    ...     "patient": {"name": "Pat Example", "member_id": "X-1"},
    ...     "denial": {"codes": ["CO-50"], "notice_date": "2026-03-02"}})
    >>> note = AppealTemplate("note", [Section("hi", "To {{ payer.name }}"),
    ...                                Section("sign", "{{ signer_name }}")])
    >>> render(note, context, draft=True).splitlines()[2:]
    ['To Demo Plan', '', '[Signer Name]']
    >>> from denialkit import MissingFieldsError
    >>> try:
    ...     render(note, context)
    ... except MissingFieldsError as error:
    ...     print(error.missing)
    (('sign', 'signer_name'),)

    Added in 0.1.0; since 0.2.0 a draft opens with a draft notice and a
    built-in letter needs its attachments unless it is a draft.
    """
    if format not in FORMATS:
        raise ValueError(
            f"format {format!r} is not one of {', '.join(FORMATS)}"
        )
    facts = facts if facts is not None else template.facts
    letter = render_sections(template, context, facts=facts, draft=draft)
    if facts is not None and facts.deadline and not draft:
        found = facts.deadline_for(context)
        deadline = found.date if found is not None else None
        if deadline is not None and context.letter_date > deadline:
            warnings.warn(
                f"Letter {template.name!r} is dated after the appeal"
                f" deadline of {deadline.isoformat()}; the payer may"
                " dismiss it as late unless good cause is shown.",
                LateAppealWarning,
                stacklevel=2,
            )

    from . import _formats

    return _formats.FORMATTERS[format](letter)


__all__ = [
    "FORMATS",
    "Format",
    "LateAppealWarning",
    "RenderedLetter",
    "render",
]
