"""
Export a dataset release as JSON, CSV or FHIR R4 CodeSystems.

The FHIR export is a ``Bundle`` (type ``collection``) with one
``CodeSystem`` per code set.  CARC and RARC use X12's canonical URLs;
``display`` is our title and ``definition`` our summary (X12's wording is
not shipped), and ``version`` is the dataset release.  A successor code
is a ``replacedBy`` property holding a ``Coding``, with the URL of its own
code system: a RARC may be replaced by a CARC.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any, Literal

from ._codes import CODE_SETS, FIELDS

if TYPE_CHECKING:
    from ._codes import DenialCode
    from ._dataset import Dataset

ExportFormat = Literal["json", "csv", "fhir"]

CANONICAL_URLS = {
    "carc": "https://x12.org/codes/claim-adjustment-reason-codes",
    "rarc": "https://x12.org/codes/remittance-advice-remark-codes",
    "group": "https://x12.org/codes/claim-adjustment-group-codes",
    "specialty": "https://denialkit.example.org/codes/specialty",
}
_NAMES = {
    "carc": ("ClaimAdjustmentReasonCodes", "Claim Adjustment Reason Codes"),
    "rarc": ("RemittanceAdviceRemarkCodes", "Remittance Advice Remark Codes"),
    "group": ("ClaimAdjustmentGroupCodes", "Claim Adjustment Group Codes"),
    "specialty": ("SpecialtyDenialCodes", "Specialty denial codes"),
}
# The record fields up to the remark type, then two derived columns.
CSV_COLUMNS = (*FIELDS[:12], "appealable", "release")


def record_dict(
    record: DenialCode, *, editorial: bool = True
) -> dict[str, Any]:
    """
    One record as JSON-ready data (the shape of ``explain --json``).
    """
    data: dict[str, Any] = {
        "code_set": record.code_set,
        "code": record.code,
        "title": record.title,
        "summary": record.summary,
        "status": record.status,
        "release": record.release,
        "start": _iso(record.start),
        "last_modified": _iso(record.last_modified),
        "stop": _iso(record.stop),
        "replaced_by": list(record.replaced_by),
        "category": record.category,
    }
    optional = {
        "adjustment": record.adjustment,
        "remark_type": record.remark_type,
        "family": record.family,
        "note": record.note,
        "source_url": record.source_url,
        "official_text": record.official_text,
    }
    data.update({k: v for k, v in optional.items() if v is not None})
    for name in ("aliases", "keywords"):
        if getattr(record, name):
            data[name] = list(getattr(record, name))
    if record.maps_to:
        data["maps_to"] = [
            {
                "group": m.group,
                "carc": m.carc,
                "rarc": list(m.rarc),
                "when": m.when,
            }
            for m in record.maps_to
        ]
    if editorial and record.editorial is not None:
        data["editorial"] = editorial_dict(record)

    return data


def editorial_dict(record: DenialCode) -> dict[str, Any]:
    """
    A record's editorial layer as JSON-ready data.
    """
    e = record.editorial
    assert e is not None

    return {
        "explanation": e.explanation,
        "common_causes": list(e.common_causes),
        "prevention": list(e.prevention),
        "appeal": {
            "action": e.appeal.action,
            "arguments": list(e.appeal.arguments),
            "evidence": list(e.appeal.evidence),
            "letter_argument": e.appeal.letter_argument,
        },
        "related": {
            "carc": list(e.related.carc),
            "rarc": list(e.related.rarc),
            "group": list(e.related.group),
        },
        "facts": [
            {
                "statement": f.statement,
                "source": f.source.id,
                "uncertain": f.uncertain,
            }
            for f in e.facts
        ],
        "revisions": [
            {
                "release": r.release,
                "date": r.date.isoformat(),
                "change": r.change,
                "previous": r.previous,
                "reason": r.reason,
                "sources": [s.id for s in r.sources],
            }
            for r in e.revisions
        ],
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "url": s.url,
                "read": s.read.isoformat(),
            }
            for s in e.sources
        ],
    }


def export(dataset: Dataset, format: ExportFormat) -> str:
    """
    The whole dataset in one format, as text.

    Raises:
        ValueError: an unknown format.
    """
    if format == "json":
        return (
            json.dumps(
                {
                    "release": dataset.release,
                    "codes": [record_dict(r) for r in dataset],
                },
                indent=1,
                ensure_ascii=False,
            )
            + "\n"
        )
    if format == "csv":
        return _csv(dataset)
    if format == "fhir":
        return (
            json.dumps(fhir_bundle(dataset), indent=1, ensure_ascii=False)
            + "\n"
        )

    raise ValueError(f"export format {format!r} is not json, csv or fhir")


def _csv(dataset: Dataset) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in dataset:
        writer.writerow(
            [
                r.code_set,
                r.code,
                r.status,
                _iso(r.start) or "",
                _iso(r.last_modified) or "",
                _iso(r.stop) or "",
                " ".join(r.replaced_by),
                r.title or "",
                r.summary or "",
                r.category or "",
                r.adjustment or "",
                r.remark_type or "",
                {True: "yes", False: "no", None: ""}[r.is_appealable],
                r.release,
            ]
        )

    return stream.getvalue()


def fhir_code_system(dataset: Dataset, code_set: str) -> dict[str, Any]:
    """
    One code set as a FHIR R4 ``CodeSystem`` resource.
    """
    records = dataset.codes(code_set)  # type: ignore[arg-type]
    name, title = _NAMES[code_set]
    concepts = []
    for r in records:
        concept: dict[str, Any] = {"code": r.code}
        if r.title:
            concept["display"] = r.title
        if r.summary:
            concept["definition"] = r.summary
        props: list[dict[str, Any]] = [
            {"code": "status", "valueCode": r.status},
            {"code": "inactive", "valueBoolean": not r.is_current},
        ]
        for prop, value in (
            ("effectiveDate", r.start),
            ("lastModified", r.last_modified),
            ("stopDate", r.stop),
        ):
            if value:
                props.append(
                    {"code": prop, "valueDateTime": value.isoformat()}
                )
        props += [
            {"code": "replacedBy", "valueCoding": _coding(code_set, c)}
            for c in r.replaced_by
        ]
        if r.category:
            props.append({"code": "category", "valueCode": r.category})
        concept["property"] = props
        concepts.append(concept)

    return {
        "resourceType": "CodeSystem",
        "id": f"denialkit-{code_set}-{dataset.release.replace('.', '-')}",
        "url": CANONICAL_URLS[code_set],
        "version": dataset.release,
        "name": name,
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": "denialkit (our own titles and summaries; codes by"
        + (" X12)" if code_set != "specialty" else " Clausea)"),
        "description": f"{title} in dataset release {dataset.release}."
        " Display and definition are denialkit's own words; the official"
        " wording is not included.",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "property": [
            {
                "code": "status",
                "type": "code",
                "description": "current or deactivated",
            },
            {
                "code": "inactive",
                "type": "boolean",
                "uri": "http://hl7.org/fhir/concept-properties#inactive",
            },
            {
                "code": "effectiveDate",
                "type": "dateTime",
                "description": "Start date from the code list",
            },
            {
                "code": "lastModified",
                "type": "dateTime",
                "description": "Last modification date from the code list",
            },
            {
                "code": "stopDate",
                "type": "dateTime",
                "description": "Stop (deactivation) date from the code list",
            },
            {
                "code": "replacedBy",
                "type": "Coding",
                "description": "Successor code, in this code system or"
                " another one (a RARC may be replaced by a CARC)",
            },
            {
                "code": "category",
                "type": "code",
                "description": "denialkit category",
            },
        ],
        "concept": concepts,
    }


def fhir_bundle(dataset: Dataset) -> dict[str, Any]:
    """
    Every code set as a FHIR R4 ``Bundle`` of ``CodeSystem`` resources.
    """
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": fhir_code_system(dataset, code_set)}
            for code_set in CODE_SETS
            if dataset.codes(code_set)
        ],
    }


def _coding(code_set: str, successor: str) -> dict[str, str]:
    # A successor is written "45" in its own code set and "carc:23" in
    # another one; FHIR names the code system of each by its URL.
    other, _, code = successor.rpartition(":")

    return {"system": CANONICAL_URLS[other or code_set], "code": code}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
