"""
The schema of dataset source files, shared by ``data/`` and overlays.

Validation works on plain parsed YAML/JSON.  Mappings read by
:func:`load_yaml` remember the line of each key, so an error can name the
file, the line and a dotted path to the field (``codes[3].stop``).
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

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
_CODE = re.compile(r"[A-Z0-9]+")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUCCESSOR = re.compile(r"(?:(?:carc|rarc|group|specialty):)?[A-Z0-9]+")


class LineMap(dict[str, Any]):
    """
    A mapping read from YAML that remembers the line of each key.
    """

    lines: dict[str, int]


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


def load_yaml(text: str, *, file: str, plain_strings: bool = False) -> Any:
    """
    Parse YAML safely, keeping line numbers of mapping keys.

    With *plain_strings*, every unquoted scalar stays the text it was
    written as (only empty values become null): YAML 1.1 would otherwise
    read a member ID ``0012345`` as the octal number 5349 or ``12:30:45``
    as 45045.  Claim files are read this way.

    Raises:
        DataFileError: the text is not valid YAML, or repeats a key.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    if plain_strings:
        resolvers_by_char = yaml.SafeLoader.yaml_implicit_resolvers
        Loader.yaml_implicit_resolvers = {
            first: [
                (tag, pattern)
                for tag, pattern in resolvers
                if tag == "tag:yaml.org,2002:null"
            ]
            for first, resolvers in resolvers_by_char.items()
        }

    def construct(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
        mapping = LineMap()
        mapping.lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in mapping:
                raise DataFileError(
                    f"key {key!r} appears twice in one mapping",
                    file=file,
                    line=line,
                )
            try:
                value = loader.construct_object(value_node, deep=True)
            except DataFileError:
                raise
            except ValueError:
                # The parser's message can quote the value: leave it out.
                raise DataFileError(
                    f"{key!r} has a value that cannot be read as written;"
                    " write dates as YYYY-MM-DD and put other values in"
                    " quotes",
                    file=file,
                    line=value_node.start_mark.line + 1,
                    field=str(key),
                ) from None
            mapping[key] = value
            mapping.lines[str(key)] = line
        return mapping

    Loader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct
    )
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            file=file,
            line=mark.line + 1 if mark else None,
        ) from None


class Validator:
    """
    Collects the location context while checking one file.
    """

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(
        self, problem: str, node: Any, key: str | None, path: str
    ) -> None:
        line = None
        if isinstance(node, LineMap) and key is not None:
            line = node.lines.get(key)
        elif isinstance(node, LineMap) and node.lines:
            line = min(node.lines.values())
        raise DataFileError(problem, file=self.file, line=line, field=path)

    def mapping(
        self,
        node: Any,
        path: str,
        *,
        required: Mapping[str, Callable[[Any, Any, str, str], None]],
        optional: Mapping[str, Callable[[Any, Any, str, str], None]],
    ) -> None:
        if not isinstance(node, dict):
            self.fail("expected a mapping of keys to values", node, None, path)
        for key in node:
            if key not in required and key not in optional:
                known = ", ".join(sorted({*required, *optional}))
                self.fail(
                    f"unknown key {key!r}; the keys allowed here are {known}",
                    node,
                    key,
                    _join(path, str(key)),
                )
        for key, check in required.items():
            if key not in node:
                self.fail(f"missing required key {key!r}", node, None, path)
            check(self, node, key, _join(path, key))
        for key, check in optional.items():
            if key in node:
                check(self, node, key, _join(path, key))


Check = Callable[[Validator, Any, str, str], None]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def text(*, nullable: bool = False, max_length: int | None = None) -> Check:
    def check(v: Validator, node: Any, key: str, path: str) -> None:
        value = node[key]
        if value is None and nullable:
            return
        if not isinstance(value, str) or not value.strip():
            v.fail("expected non-empty text", node, key, path)
        if max_length and len(value) > max_length:
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
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                node[key] = value
        if not isinstance(value, datetime.date) or isinstance(
            value, datetime.datetime
        ):
            v.fail("expected a date written YYYY-MM-DD", node, key, path)

    return check


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
        if len(value) < minimum:
            v.fail(
                f"has {len(value)} item(s); at least {minimum} are needed",
                node,
                key,
                path,
            )
        for index in range(len(value)):
            item(v, value, index, f"{path}[{index}]")  # type: ignore[arg-type]

    return check


def nested(
    required: Mapping[str, Check], optional: Mapping[str, Check]
) -> Check:
    def check(v: Validator, node: Any, key: str, path: str) -> None:
        v.mapping(node[key], path, required=required, optional=optional)

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


def check_code_file(document: Any, *, file: str) -> None:
    """
    Validate one code file (``data/<code_set>/*.yaml`` or an overlay).

    Raises:
        DataFileError: naming the file, line and field of the first problem.
    """
    v = Validator(file)
    v.mapping(
        document,
        "",
        required={"code_set": choice(CODE_SETS), "codes": listof(_record)},
        optional={"source": text()},
    )
    seen: dict[str, int] = {}
    for index, record in enumerate(document["codes"]):
        code = record["code"]
        if code in seen:
            v.fail(
                f"code {code!r} appears twice (first as codes[{seen[code]}])",
                record,
                "code",
                f"codes[{index}].code",
            )
        seen[code] = index
        _check_record_rules(v, document["code_set"], record, f"codes[{index}]")


def _record(v: Validator, node: Any, key: Any, path: str) -> None:
    v.mapping(
        node[key],
        path,
        required={"code": code_text, "status": choice(STATUSES)},
        optional={k: c for k, c in CODE_FIELDS.items() if k != "status"},
    )


def _check_record_rules(
    v: Validator, code_set: str, record: Any, path: str
) -> None:
    start, stop = record.get("start"), record.get("stop")
    if start and stop and stop <= start:
        v.fail("stop date must be after the start date", record, "stop", path)
    only = {
        "adjustment": "carc",
        "remark_type": "rarc",
        "family": "specialty",
        "maps_to": "specialty",
    }
    for key, owner in only.items():
        if record.get(key) is not None and code_set != owner:
            v.fail(
                f"{key!r} is only for {owner.upper()} records",
                record,
                key,
                f"{path}.{key}",
            )


def check_editorial(document: Any, *, file: str) -> None:
    """
    Validate one editorial file (``data/editorial/<set>/<code>.yaml``).

    Raises:
        DataFileError: naming the file, line and field of the problem.
    """
    Validator(file).mapping(
        document, "", required=EDITORIAL_REQUIRED, optional=EDITORIAL_OPTIONAL
    )


def check_sources(document: Any, *, file: str) -> None:
    """
    Validate one sources file (``data/sources/*.yaml``).

    Raises:
        DataFileError: naming the file, line and field of the problem.
    """
    Validator(file).mapping(
        document,
        "",
        required={"sources": listof(nested(SOURCE_FIELDS, {}))},
        optional={},
    )
