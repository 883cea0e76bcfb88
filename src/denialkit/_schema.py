"""
The schema of dataset source files, shared by ``data/`` and overlays.

Validation works on plain parsed YAML/JSON.  Mappings and lists read by
:func:`load_yaml` remember the line of each key and item, so an error can
name the file, the line and a dotted path to the field (``codes[3].stop``).
A file is checked whole: every problem is collected, and one
:class:`DataFileError` lists them all in file order.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import functools
import os
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeGuard

from ._codes import CATEGORIES, CODE_SETS, GROUP_CODES
from .exceptions import DataFileError

ADJUSTMENTS: Final = (
    "denial",
    "patient_share",
    "contractual",
    "informational",
)
REMARK_TYPES: Final = ("supplemental", "alert")
STATUSES: Final = ("current", "deactivated")
ACTIONS: Final = ("appeal", "correct_and_resubmit")
# Each code set as messages name it: "the CARC list", "a RARC".
CODE_SET_NAMES: Final = {
    "carc": "CARC",
    "rarc": "RARC",
    "group": "group code",
    "specialty": "specialty code",
}
_CODE = re.compile(r"[A-Z0-9]+")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUCCESSOR = re.compile(r"(?:(?:carc|rarc|group|specialty):)?[A-Z0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class LineMap(dict[str, Any]):
    """
    A mapping read from YAML that remembers the line of each key.
    """

    lines: dict[str, int]
    line: int | None = None  # where the mapping starts


class LineList(list[Any]):
    """
    A list read from YAML that remembers the line of each item.
    """

    item_lines: list[int]


def read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """
    Read a UTF-8 text file given by the user: ``(name, text)``.

    Raises:
        DataFileError: the file cannot be read or is not UTF-8.
    """
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as stream:
            return name, stream.read()
    except OSError as exc:
        raise DataFileError(
            f"cannot read the file ({exc.strerror})", file=name
        ) from None
    except UnicodeDecodeError:
        raise DataFileError(
            "is not UTF-8 text; save it as UTF-8", file=name
        ) from None


def load_yaml(
    text: str,
    *,
    file: str,
    plain_strings: bool = False,
    problems: list[DataFileError] | None = None,
) -> Any:
    """
    Parse YAML safely, keeping the line numbers of mapping keys.

    With *plain_strings*, every unquoted scalar stays the text it was
    written as (only empty values become null): YAML 1.1 would otherwise
    read a member ID ``0012345`` as the octal number 5349 or ``12:30:45``
    as 45045.  Claim files are read this way.  Otherwise lists remember
    the line of each item too.

    Merge keys (``<<: *base``) copy the keys of another mapping; the keys
    a mapping writes itself win over the merged ones.

    Some problems are noted while reading, and reading carries on: a key
    repeated in one mapping (the first value is kept), a key that is a
    list or mapping (dropped), and a value that cannot be read as the type
    its tag names, such as ``!!int ''`` (left for the schema, which
    reports nothing more on it).  These problems never quote the value.
    They are added to *problems* when it is given, so they are reported
    with the schema's problems; without it they are raised together at
    the end.

    Raises:
        DataFileError: the text is not valid YAML, or has one of the
            problems above and no *problems* list was given.
    """
    import yaml

    loader = _loader_class(plain_strings)(text)
    loader.file = file
    loader.problems = [] if problems is None else problems
    loader.at = []
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            file=file,
            line=mark.line + 1 if mark else None,
        ) from None
    except RecursionError:
        raise DataFileError(
            "lists or mappings are nested too deeply to read", file=file
        ) from None
    finally:
        loader.dispose()
    if problems is None:
        raise_all(loader.problems)

    return document


class _Unreadable:
    # Stands in for a value whose tag could not be applied; the loader has
    # already reported it, so the schema stays quiet about it.
    def __repr__(self) -> str:
        return "<unreadable value>"


UNREADABLE: Final = _Unreadable()

_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = ("null", "bool", "int", "float", "binary", "timestamp", "str")


@functools.cache
def _loader_class(plain_strings: bool) -> Any:
    # Built on first use, so that importing denialkit does not import yaml.
    import yaml

    class Loader(yaml.SafeLoader):
        file: str
        problems: list[DataFileError]
        at: list[str]  # the field being read, as parts of a dotted path
        keeps_item_lines = not plain_strings

    if plain_strings:
        resolvers_by_char = yaml.SafeLoader.yaml_implicit_resolvers
        Loader.yaml_implicit_resolvers = {
            first: [
                (tag, pattern)
                for tag, pattern in resolvers
                if tag in ("tag:yaml.org,2002:null", _MERGE)
            ]
            for first, resolvers in resolvers_by_char.items()
        }
    for tag in _SCALAR_TAGS:
        name = f"tag:yaml.org,2002:{tag}"
        constructor = yaml.SafeLoader.yaml_constructors[name]
        Loader.add_constructor(name, _scalar(constructor))
    Loader.add_constructor(None, _unknown_tag)
    Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
    Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)

    return Loader


def _note(loader: Any, problem: str, line: int | None) -> None:
    field = "".join(loader.at).lstrip(".") or None
    loader.problems.append(
        DataFileError(problem, file=loader.file, line=line, field=field)
    )


def _construct_mapping(loader: Any, node: Any) -> Any:
    if node.id != "mapping":  # such as !!map [a, b]
        return _unreadable(loader, node)

    mapping = LineMap()
    mapping.lines = {}
    mapping.line = node.start_mark.line + 1
    merge_lines = [
        k.start_mark.line + 1 for k, _ in node.value if k.tag == _MERGE
    ]
    own = [pair for pair in node.value if pair[0].tag != _MERGE]
    loader.flatten_mapping(node)
    merged = node.value[: len(node.value) - len(own)]

    for key_node, value_node in own:
        _add_pair(loader, mapping, key_node, value_node)
    for key_node, value_node in merged:
        # Merged keys fill in what the mapping does not write itself; of
        # several merged mappings, the first one listed wins.
        key = loader.construct_object(key_node, deep=True)
        if _is_key(key) and key not in mapping:
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.lines[str(key)] = merge_lines[0]

    return mapping


def _add_pair(
    loader: Any, mapping: LineMap, key_node: Any, value_node: Any
) -> None:
    key = loader.construct_object(key_node, deep=True)
    line = key_node.start_mark.line + 1
    if key is UNREADABLE:
        return
    if not _is_key(key):
        _note(
            loader,
            "a key must be plain text, not a list, set or mapping",
            line,
        )
        return
    if key in mapping:
        _note(
            loader,
            f"key {key!r} appears twice in one mapping (first on line"
            f" {mapping.lines[str(key)]}); keep one",
            line,
        )
        return

    loader.at.append(f".{key}")
    mapping[key] = loader.construct_object(value_node, deep=True)
    loader.at.pop()
    mapping.lines[str(key)] = line


def _is_key(key: Any) -> bool:
    # Lists, mappings and sets (!!set) cannot be keys of a mapping.
    try:
        hash(key)
    except TypeError:
        return False

    return key is not UNREADABLE


def _construct_list(loader: Any, node: Any) -> Any:
    if node.id != "sequence":  # such as !!seq {a: b}
        return _unreadable(loader, node)

    items: list[Any] = LineList() if loader.keeps_item_lines else []
    for index, child in enumerate(node.value):
        loader.at.append(f"[{index}]")
        items.append(loader.construct_object(child, deep=True))
        loader.at.pop()
    if isinstance(items, LineList):
        items.item_lines = [child.start_mark.line + 1 for child in node.value]

    return items


def _scalar(constructor: Any) -> Any:
    # PyYAML's own constructors fail with many exception types (IndexError
    # for !!int '', KeyError quoting the value for !!bool maybe), so every
    # failure is caught here.  A plain scalar that only looks like a date
    # or number, such as 2026-13-45, stays the text as written: the schema
    # then says what is wrong with it.
    def construct(loader: Any, node: Any) -> Any:
        try:
            return constructor(loader, node)
        except RecursionError:
            raise
        except Exception:
            if node.id == "scalar" and node.tag == loader.resolve(
                type(node), node.value, (True, False)
            ):
                return node.value
        return _unreadable(loader, node)

    return construct


def _unreadable(loader: Any, node: Any) -> _Unreadable:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    _note(
        loader,
        f"the value cannot be read as {tag}; remove the tag, or write a"
        " value of that type",
        node.start_mark.line + 1,
    )

    return UNREADABLE


def _unknown_tag(loader: Any, node: Any) -> _Unreadable:
    # The message leaves the tag out, as it is part of what was written.
    _note(
        loader,
        "the value has a YAML tag denialkit does not read; remove the tag,"
        " or put the value in quotes",
        node.start_mark.line + 1,
    )
    return UNREADABLE


def raise_all(problems: list[DataFileError]) -> None:
    """
    Raise one :class:`DataFileError` listing *problems* in file order.

    Problems without a line come last, in the order they were found.
    Does nothing when the list is empty.
    """
    if not problems:
        return

    first, *rest = sorted(problems, key=_file_order)
    raise DataFileError(
        first.problem,
        file=first.file,
        line=first.line,
        field=first.field,
        more=rest,
    )


def _file_order(problem: DataFileError) -> tuple[bool, int]:
    return (problem.line is None, problem.line or 0)


class Validator:
    """
    Collects the problems found while checking one file.

    Checks call :meth:`fail` for each problem and carry on with the rest
    of the file; :meth:`raise_problems` raises them all at the end.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[DataFileError] = []

    def fail(
        self, problem: str, node: Any, key: str | int | None, path: str
    ) -> None:
        """
        Note one problem at *key* of *node*, found at field *path*.

        With *key* ``None`` the problem is with the mapping *node* as a
        whole.  A value the loader could not read was reported while
        reading, so no further problem with it is noted.
        """
        if key is not None and _holds_unreadable(node, key):
            return

        self._note(problem, node, key, path)

    def _note(
        self, problem: str, node: Any, key: str | int | None, path: str
    ) -> None:
        self.problems.append(
            DataFileError(
                problem, file=self.file, line=_line(node, key), field=path
            )
        )

    def raise_problems(self) -> None:
        """
        Raise one error listing every problem noted, if there are any.
        """
        raise_all(self.problems)

    def mapping(
        self,
        node: Any,
        path: str,
        *,
        required: Mapping[str, Check],
        optional: Mapping[str, Check],
        within: tuple[Any, str | int] | None = None,
    ) -> bool:
        """
        Check a mapping's keys and each value; ``False`` if not a mapping.

        *within* is the ``(parent, key)`` the mapping was read from, so
        that a value which is no mapping at all is reported at its line.
        """
        if not isinstance(node, dict):
            parent, key = within or (node, None)
            self.fail(
                "expected a mapping of keys to values", parent, key, path
            )
            return False

        for key in node:
            if key not in required and key not in optional:
                known = ", ".join(sorted({*required, *optional}))
                self._note(
                    f"unknown key {key!r}; the keys allowed here are {known}",
                    node,
                    str(key),
                    _join(path, str(key)),
                )
        for key, check in required.items():
            if key in node:
                check(self, node, key, _join(path, key))
            else:
                self.fail(f"missing required key {key!r}", node, None, path)
        for key, check in optional.items():
            if key in node:
                check(self, node, key, _join(path, key))

        return True


def _line(node: Any, key: str | int | None) -> int | None:
    # The line of node[key], or of the mapping node itself without a key.
    if isinstance(node, LineMap) and isinstance(key, str):
        return node.lines.get(key, node.line)
    if isinstance(node, LineList) and isinstance(key, int):
        return node.item_lines[key]
    if isinstance(node, LineMap):
        return node.line

    return None


def _holds_unreadable(node: Any, key: str | int) -> bool:
    try:
        return node[key] is UNREADABLE
    except (KeyError, IndexError, TypeError):
        return False


Check = Callable[[Validator, Any, Any, str], None]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def text(*, nullable: bool = False, max_length: int | None = None) -> Check:
    def check(v: Validator, node: Any, key: str, path: str) -> None:
        value = node[key]
        if value is None and nullable:
            return
        if not isinstance(value, str) or not value.strip():
            v.fail("expected non-empty text", node, key, path)
        elif max_length and len(value) > max_length:
            v.fail(
                f"is {len(value)} characters; keep it to {max_length}",
                node,
                key,
                path,
            )

    return check


def code_text(v: Validator, node: Any, key: str, path: str) -> None:
    value = node[key]
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        v.fail(
            "expected a code in quotes, upper-case letters and digits"
            " only (write '50', not 50)",
            node,
            key,
            path,
        )


def successor(v: Validator, node: Any, key: str, path: str) -> None:
    value = node[key]
    if not isinstance(value, str) or not _SUCCESSOR.fullmatch(value):
        v.fail(
            "expected a code in quotes ('45'), or code_set:code for a"
            " successor in another code set ('carc:256')",
            node,
            key,
            path,
        )


def choice(options: tuple[str, ...], *, nullable: bool = False) -> Check:
    def check(v: Validator, node: Any, key: str, path: str) -> None:
        value = node[key]
        if value is None and nullable:
            return
        if value not in options:
            v.fail(
                f"{value!r} is not one of {', '.join(options)}",
                node,
                key,
                path,
            )

    return check


def date(*, nullable: bool = True) -> Check:
    def check(v: Validator, node: Any, key: str, path: str) -> None:
        value = node[key]
        if value is None and nullable:
            return
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                v.fail(
                    f"the date {value} does not exist: {_why_not(value)}",
                    node,
                    key,
                    path,
                )
                return
            node[key] = value
        if not is_date(value):
            v.fail("expected a date written YYYY-MM-DD", node, key, path)

    return check


def is_date(value: Any) -> TypeGuard[datetime.date]:
    """
    Whether *value* is a date (a ``datetime`` with its time is not).
    """
    return isinstance(value, datetime.date) and not isinstance(
        value, datetime.datetime
    )


def as_date(value: Any) -> datetime.date | None:
    """
    *value* as a date, if it is one or is text written ``YYYY-MM-DD``
    that names a day in the calendar; otherwise ``None``.
    """
    if is_date(value):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        with contextlib.suppress(ValueError):
            return datetime.date.fromisoformat(value)

    return None


def _why_not(text: str) -> str:
    year, month, day = (int(part) for part in text.split("-"))
    if year == 0:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day == 0:
        return "there is no day 0"

    return f"{text[:7]} has only {calendar.monthrange(year, month)[1]} days"


def boolean(v: Validator, node: Any, key: str, path: str) -> None:
    if not isinstance(node[key], bool):
        v.fail("expected true or false", node, key, path)


def sha256(v: Validator, node: Any, key: str, path: str) -> None:
    value = node[key]
    if value is not None and not (
        isinstance(value, str) and _SHA256.fullmatch(value)
    ):
        v.fail("expected 64 lower-case hex digits or null", node, key, path)


def listof(item: Check, *, minimum: int = 0) -> Check:
    def check(v: Validator, node: Any, key: str, path: str) -> None:
        value = node[key]
        if not isinstance(value, list):
            v.fail("expected a list", node, key, path)
            return

        if len(value) < minimum:
            v.fail(
                f"has {len(value)} item(s); at least {minimum} are needed",
                node,
                key,
                path,
            )
        for index in range(len(value)):
            item(v, value, index, f"{path}[{index}]")

    return check


def nested(
    required: Mapping[str, Check], optional: Mapping[str, Check]
) -> Check:
    def check(v: Validator, node: Any, key: str, path: str) -> None:
        v.mapping(
            node[key],
            path,
            required=required,
            optional=optional,
            within=(node, key),
        )

    return check


_MAPPING = nested(
    {"group": choice(GROUP_CODES), "carc": code_text},
    {"rarc": listof(code_text), "when": text()},
)

CODE_FIELDS: Final[dict[str, Check]] = {
    "status": choice(STATUSES),
    "start": date(),
    "last_modified": date(),
    "stop": date(),
    "replaced_by": listof(successor),
    "official_sha256": sha256,
    "title": text(nullable=True, max_length=100),
    "summary": text(nullable=True),
    "category": choice(CATEGORIES, nullable=True),
    "adjustment": choice(ADJUSTMENTS, nullable=True),
    "remark_type": choice(REMARK_TYPES, nullable=True),
    "family": text(),
    "maps_to": listof(_MAPPING),
    "aliases": listof(text()),
    "keywords": listof(text()),
    "note": text(nullable=True),
    "source": text(),
    "needs_review": text(),
}

_SOURCE_ID = text()

EDITORIAL_REQUIRED: Final[dict[str, Check]] = {
    "code_set": choice(CODE_SETS),
    "code": code_text,
    "explanation": text(),
    "common_causes": listof(text(), minimum=3),
    "prevention": listof(text(), minimum=3),
    "appeal": nested(
        {
            "action": choice(ACTIONS),
            "arguments": listof(text(), minimum=2),
            "evidence": listof(text(), minimum=2),
            "letter_argument": text(),
        },
        {},
    ),
}
EDITORIAL_OPTIONAL: Final[dict[str, Check]] = {
    "related": nested(
        {},
        {
            "carc": listof(code_text),
            "rarc": listof(code_text),
            "group": listof(choice(GROUP_CODES)),
        },
    ),
    "facts": listof(
        nested(
            {"statement": text(), "source": _SOURCE_ID},
            {"uncertain": boolean},
        )
    ),
    "revisions": listof(
        nested(
            {
                "release": text(),
                "date": date(nullable=False),
                "change": text(),
            },
            {
                "previous": text(),
                "reason": text(),
                "sources": listof(_SOURCE_ID),
            },
        )
    ),
}

SOURCE_FIELDS: Final[dict[str, Check]] = {
    "id": text(),
    "title": text(),
    "url": text(),
    "read": date(nullable=False),
}


def check_code_file(
    document: Any, *, file: str, captured: datetime.date | None = None
) -> None:
    """
    Validate one code file (``data/<code_set>/*.yaml``).

    Args:
        document: The file as read by :func:`load_yaml`.
        file: Its name, for the messages.
        captured: The day the code set's list was captured; a current
            code may not have a stop date on or before it.

    Raises:
        DataFileError: naming the file, line and field of every problem.
    """
    v = Validator(file)
    if v.mapping(
        document,
        "",
        required={"code_set": choice(CODE_SETS), "codes": listof(_record)},
        optional={"source": text()},
    ) and isinstance(document.get("codes"), list):
        seen: dict[str, int] = {}
        for index, record in enumerate(document["codes"]):
            if not isinstance(record, dict):
                continue
            path = f"codes[{index}]"
            code = record.get("code")
            if isinstance(code, str) and code in seen:
                v.fail(
                    f"code {code!r} appears twice (first as"
                    f" codes[{seen[code]}])",
                    record,
                    "code",
                    f"{path}.code",
                )
            elif isinstance(code, str):
                seen[code] = index
            check_record(
                v, document.get("code_set"), record, path, captured=captured
            )

    v.raise_problems()


def _record(v: Validator, node: Any, key: Any, path: str) -> None:
    v.mapping(
        node[key],
        path,
        required={"code": code_text, "status": choice(STATUSES)},
        optional={k: c for k, c in CODE_FIELDS.items() if k != "status"},
        within=(node, key),
    )


def check_record(
    v: Validator,
    code_set: Any,
    record: Mapping[str, Any],
    path: str,
    *,
    captured: datetime.date | None = None,
    inherited: Mapping[str, Any] | None = None,
) -> None:
    """
    Check the rules between the fields of one code record.

    The stop date comes after the start date.  A current code has no stop
    date that had passed when its list was *captured*: from its stop date
    on a code is deactivated, so only a stop still to come (a scheduled
    stop, as the lists announce them) goes with ``current``.  Fields of
    one code set appear only on its records.

    *inherited* holds the values of the keys a record leaves out, for an
    overlay that changes a code of the release; problems are reported on
    the keys the record does have.
    """
    values = {**(inherited or {}), **record}

    _check_stop_after_start(v, record, values, path)
    _check_current_not_stopped(v, code_set, record, values, path, captured)
    _check_code_set_fields(v, code_set, record, path)


def _check_stop_after_start(
    v: Validator, record: Any, values: Mapping[str, Any], path: str
) -> None:
    start, stop = values.get("start"), values.get("stop")
    if is_date(start) and is_date(stop) and stop <= start:
        key = "stop" if "stop" in record else "start"
        v.fail(
            "the stop date must be after the start date",
            record,
            key,
            f"{path}.{key}",
        )


def _check_current_not_stopped(
    v: Validator,
    code_set: Any,
    record: Any,
    values: Mapping[str, Any],
    path: str,
    captured: datetime.date | None,
) -> None:
    stop = values.get("stop")
    if values.get("status") != "current" or not is_date(stop):
        return
    if captured is None or stop > captured:
        return

    key = "stop" if "stop" in record else "status"
    listed = CODE_SET_NAMES.get(code_set, "code")
    v.fail(
        f"the status is current, but the stop date {stop} had passed when"
        f" the {listed} list was captured ({captured}), so the code is"
        " deactivated: write status: deactivated, or remove the stop"
        " date. A current code may only have a stop date still to come",
        record,
        key,
        f"{path}.{key}",
    )


# Fields that only the records of one code set may have.
_OWNERS: Final = {
    "adjustment": "carc",
    "remark_type": "rarc",
    "family": "specialty",
    "maps_to": "specialty",
}


def _check_code_set_fields(
    v: Validator, code_set: Any, record: Any, path: str
) -> None:
    if code_set not in CODE_SETS:
        return  # the schema has reported the code set already

    for key, owner in _OWNERS.items():
        if record.get(key) is not None and code_set != owner:
            v.fail(
                f"{key!r} is only for {CODE_SET_NAMES[owner]} records",
                record,
                key,
                f"{path}.{key}",
            )


def check_editorial(document: Any, *, file: str) -> None:
    """
    Validate one editorial file (``data/editorial/<set>/<code>.yaml``).

    Raises:
        DataFileError: naming the file, line and field of every problem.
    """
    v = Validator(file)
    v.mapping(
        document, "", required=EDITORIAL_REQUIRED, optional=EDITORIAL_OPTIONAL
    )
    v.raise_problems()


def check_sources(document: Any, *, file: str) -> None:
    """
    Validate one sources file (``data/sources/*.yaml``).

    Raises:
        DataFileError: naming the file, line and field of every problem.
    """
    v = Validator(file)
    v.mapping(
        document,
        "",
        required={"sources": listof(nested(SOURCE_FIELDS, {}))},
        optional={},
    )
    v.raise_problems()
