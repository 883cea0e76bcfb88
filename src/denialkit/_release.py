"""
Read frozen dataset releases shipped inside the package.

A release is two JSON files under ``denialkit/releases/<id>/``:
``codes.json`` (one compact row per code, keyed by ``"code_set:code"``
from format 2 on) and ``editorial.json`` (the
guidance, loaded only when a record's ``editorial`` is first read).
``releases/manifest.json`` lists every release with the sha256 of each
file; a file that does not match is refused.  YAML is never read here:
releases are built from ``data/`` by ``tools/build_release.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from ._editorial import Editorial, Source
from ._codes import FIELDS as CODE_FIELDS
from .exceptions import ReleaseIntegrityError, UnknownReleaseError

# Format 1 (release 2026.1) lists the rows; format 2 keys each row by
# "code_set:code" so loading needs no Python loop.
FORMAT: Final = 2

# The order of the columns in each row of codes.json: a record's fields
# (official text excepted; it is never shipped), then the editorial flag.
FIELDS: Final = (*CODE_FIELDS[:-1], "has_editorial")


def read_package_file(name: str) -> bytes:
    """
    Read ``denialkit/<name>`` (``/``-separated) from wherever the package
    lives.

    The package's own loader reads it, which works in a checkout, an
    editable install, a wheel and a zip alike.  We avoid
    ``importlib.resources`` on this path because importing it costs more
    than the rest of a first lookup (measured in benchmarks/); it is the
    fallback for loaders without ``get_data``.
    """
    spec = __spec__
    get_data = getattr(spec.loader, "get_data", None)
    if get_data is not None and spec.origin:
        folder = os.path.dirname(spec.origin)
        data: bytes = get_data(os.path.join(folder, *name.split("/")))
        return data

    import importlib.resources

    root = importlib.resources.files(__package__ or "denialkit")

    return root.joinpath(*name.split("/")).read_bytes()


def read_resource(name: str) -> bytes:
    """
    Read ``denialkit/releases/<name>``.
    """
    return read_package_file(f"releases/{name}")


_manifest: dict[str, Any] | None = None


def manifest() -> dict[str, Any]:
    """
    The parsed ``releases/manifest.json``, read once.
    """
    global _manifest
    if _manifest is None:
        _manifest = json.loads(read_resource("manifest.json"))

    return _manifest


def release_ids() -> list[str]:
    """
    Every shipped release id, oldest first.
    """
    return sorted(manifest()["releases"], key=_calver)


def latest() -> str:
    """
    The newest shipped release id.
    """
    return release_ids()[-1]


def release_info(release: str) -> dict[str, Any]:
    """
    The manifest entry of *release*.

    Raises:
        UnknownReleaseError: the release is not shipped.
    """
    entry: dict[str, Any] | None = manifest()["releases"].get(release)
    if entry is None:
        raise UnknownReleaseError(release, available=release_ids())

    return entry


def read_verified(release: str, part: str) -> Any:
    """
    Read one file of *release* and check it against the manifest.

    Raises:
        ReleaseIntegrityError: the file's sha256 does not match.
    """
    entry = release_info(release)["files"][part]
    raw = read_resource(entry["name"])
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise ReleaseIntegrityError(release, file=entry["name"])

    return json.loads(raw)


def _calver(release: str) -> tuple[int, int]:
    year, _, number = release.partition(".")

    return (int(year), int(number))


def decode_editorial(
    raw: Mapping[str, Any], sources: Mapping[str, Source]
) -> Editorial:
    """
    Turn one ``editorial.json`` entry into an :class:`Editorial`.
    """
    import datetime

    from ._editorial import (
        AppealGuidance,
        Editorial,
        Fact,
        Related,
        Revision,
    )

    appeal = raw["appeal"]
    related = raw.get("related", {})

    return Editorial(
        explanation=raw["explanation"],
        common_causes=tuple(raw["common_causes"]),
        prevention=tuple(raw["prevention"]),
        appeal=AppealGuidance(
            action=appeal["action"],
            arguments=tuple(appeal["arguments"]),
            evidence=tuple(appeal["evidence"]),
            letter_argument=appeal["letter_argument"],
        ),
        related=Related(
            carc=tuple(related.get("carc", ())),
            rarc=tuple(related.get("rarc", ())),
            group=tuple(related.get("group", ())),
        ),
        facts=tuple(
            Fact(
                statement=fact["statement"],
                source=sources[fact["source"]],
                uncertain=fact.get("uncertain", False),
            )
            for fact in raw.get("facts", ())
        ),
        revisions=tuple(
            Revision(
                release=rev["release"],
                date=datetime.date.fromisoformat(rev["date"]),
                change=rev["change"],
                previous=rev.get("previous"),
                reason=rev.get("reason"),
                sources=tuple(sources[s] for s in rev.get("sources", ())),
            )
            for rev in raw.get("revisions", ())
        ),
    )


def decode_sources(raw: Mapping[str, Any]) -> dict[str, Source]:
    """
    Turn the ``sources`` table of ``editorial.json`` into :class:`Source`.
    """
    import datetime

    from ._editorial import Source

    return {
        key: Source(
            id=key,
            title=value["title"],
            url=value["url"],
            read=datetime.date.fromisoformat(value["read"]),
        )
        for key, value in raw.items()
    }
