"""
The ``denialkit`` command line.

Exit status: 0 on success, 2 for bad input (a wrong code, file, field or
option), 1 for other failures.  Errors go to stderr as one message, never
a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from . import load, releases
from ._export import record_dict
from ._version import __version__
from .exceptions import (
    DataFileError,
    DenialKitError,
    ReleaseIntegrityError,
    RemittanceError,
    _list_problems,
)

X12_DIR_ENV = "DENIALKIT_X12_DIR"


class _UsageError(Exception):
    pass


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write YYYY-MM-DD"
        ) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")

    return value


def _dataset(args: argparse.Namespace) -> Any:
    dataset = load(getattr(args, "release", None))
    x12_dir = getattr(args, "x12_dir", None) or os.environ.get(X12_DIR_ENV)
    if x12_dir:
        dataset = dataset.with_official_text(x12_dir)
    for overlay in getattr(args, "overlay", None) or ():
        dataset = dataset.with_overlay(overlay)
    for report in dataset.overlays:
        if report.only_in_overlay or report.only_in_release:
            print(f"note: {report}", file=sys.stderr)

    return dataset


def _out(args: argparse.Namespace, text: str | bytes) -> None:
    target = getattr(args, "output", None)
    if target:
        if isinstance(text, bytes):
            with open(target, "wb") as binary:
                binary.write(text)
        else:
            with open(target, "w", encoding="utf-8") as stream:
                stream.write(text)
        return
    if isinstance(text, bytes):
        sys.stdout.buffer.write(text)
    else:
        sys.stdout.write(text)


# explain -----------------------------------------------------------------


def cmd_explain(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    result = dataset.lookup(args.code, as_of=args.as_of)
    record = result.record
    if args.json:
        data = record_dict(record)
        data["query"] = args.code
        data["group"] = result.ref.group
        if result.validity is not None:
            data["validity"] = {
                "on": result.validity.on.isoformat(),
                "state": result.validity.state,
                "valid": result.validity.is_valid,
                "reason": result.validity.reason,
            }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0

    print(_explain_text(result, args.today or datetime.date.today()))
    return 0


def _explain_text(result: Any, today: datetime.date) -> str:
    r = result.record
    label = f"{result.ref.group}-{r.code}" if result.ref.group else r.code
    lines = [
        f"{r.code_set.upper()} {label}: {r.display_title}",
        f"(dataset release {result.release})",
        "",
    ]
    if result.group is not None:
        lines.append(
            f"Group {result.group.code}: {result.group.display_title}"
        )
    lines.append(r.summary or "No summary is written yet in this release.")
    lines.append("")
    status = "current" if r.is_current else "deactivated"
    if r.stop and r.is_current and r.stop > today:
        status += f", stop scheduled for {r.stop.isoformat()}"
    elif r.stop and r.is_current:
        # The list still called it current, but its stop date has come.
        status += f" in its list, stopped on {r.stop.isoformat()}"
    elif r.stop:
        status += f", stop date {r.stop.isoformat()}"
    if r.replaced_by:
        status += f"; replaced by {', '.join(r.replaced_by)}"
    lines.append(f"Status: {status}")
    if r.start:
        lines.append(f"Start: {r.start.isoformat()}")
    if r.category:
        lines.append(f"Category: {r.category.replace('_', ' ')}")
    if r.remark_type:
        lines.append(f"Remark type: {r.remark_type}")
    if r.note:
        lines.append(f"Note: {r.note}")
    if result.validity is not None:
        v = result.validity
        lines.append(
            f"On {v.on.isoformat()}: {v.state.replace('_', ' ')}. {v.reason}"
        )
    for mapping in r.maps_to:
        lines.append(f"On a remittance: {mapping} ({mapping.when})")
    e = r.editorial
    if e is not None:
        lines += ["", "What it means:", e.explanation, "", "Common causes:"]
        lines += [f"  - {c}" for c in e.common_causes]
        lines += ["", "Prevention checklist:"]
        lines += [f"  [ ] {c}" for c in e.prevention]
        action = "appeal" if e.appeal.is_appealable else "correct and resubmit"
        lines += ["", f"What to do: {action}", "Arguments:"]
        lines += [f"  - {a}" for a in e.appeal.arguments]
        lines += ["Evidence to enclose:"]
        lines += [f"  - {a}" for a in e.appeal.evidence]
        if e.facts:
            lines += ["", "Facts:"]
            for f in e.facts:
                mark = " [uncertain]" if f.uncertain else ""
                lines.append(f"  - {f.statement}{mark} ({f.source.id})")
        if e.revisions:
            lines += ["", "Revisions:"]
            for rev in e.revisions:
                lines.append(
                    f"  {rev.release} ({rev.date.isoformat()}): {rev.change}"
                )
        if e.sources:
            lines += ["", "Sources:"]
            lines += [
                f"  [{s.id}] {s.title}. {s.url} (read {s.read.isoformat()})"
                for s in e.sources
            ]
    if r.official_text:
        lines += ["", f"Official X12 text (your copy): {r.official_text}"]

    return "\n".join(lines)


# releases, diff, search, check, export --------------------------------------


def cmd_releases(args: argparse.Namespace) -> int:
    from . import _release

    ids = releases()
    if args.json:
        data = [
            {
                "release": rid,
                **{
                    k: v
                    for k, v in _release.release_info(rid).items()
                    if k != "files"
                },
            }
            for rid in ids
        ]
        print(json.dumps({"latest": ids[-1], "releases": data}, indent=2))
        return 0
    for rid in ids:
        info = _release.release_info(rid)
        counts = ", ".join(
            f"{k.upper()} {v}" for k, v in info["counts"].items()
        )
        marker = "  (newest)" if rid == ids[-1] else ""
        print(f"{rid}  built {info['built']}  {counts}{marker}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    old, new = load(args.old), load(args.new)
    diff = old.diff(new)
    if args.json:
        print(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(f"Dataset release {diff.old} -> {diff.new}")
    print(
        f"  added: {len(diff.added)}  removed: {len(diff.removed)}"
        f"  deactivated: {len(diff.deactivated)}"
        f"  reactivated: {len(diff.reactivated)}  changed: {len(diff.changed)}"
    )
    for key in diff.added:
        print(f"+ {key}")
    for key in diff.deactivated:
        print(f"x {key} deactivated")
    for change in diff.changed:
        fields = ", ".join(c.field for c in change.changes)
        print(f"~ {change.key}: {fields}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    hits = dataset.search(args.text, limit=args.limit)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "code_set": h.record.code_set,
                        "code": h.record.code,
                        "title": h.record.title,
                        "score": round(h.score, 3),
                        "release": h.record.release,
                    }
                    for h in hits
                ],
                indent=2,
            )
        )
        return 0
    if not hits:
        print(f"No code matches {args.text!r} in release {dataset.release}.")
        return 0
    for h in hits:
        status = "" if h.record.is_current else "  [deactivated]"
        r = h.record
        print(f"{r.code_set.upper():9} {r.code:8} {r.display_title}{status}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ._overlay import apply_overlay, check_overlay

    dataset = load(args.release)
    document = check_overlay(args.file, dataset)
    codes = len(document.get("codes", []))
    notes = len(document.get("editorial", []))
    # Apply the document already checked: parsing takes most of the time
    # on a large overlay, so it is done once.
    dataset = apply_overlay(dataset, document, args.file)
    print(
        f"{args.file}: valid overlay {document['name']!r} ({codes} code(s),"
        f" {notes} editorial entr{'y' if notes == 1 else 'ies'}) on release"
        f" {dataset.release}."
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ._export import export

    _out(args, export(_dataset(args), args.format))
    return 0


# appeal, deadline --------------------------------------------------------


def cmd_appeal(args: argparse.Namespace) -> int:
    from .appeals import (
        LateAppealWarning,
        builtin_letter,
        load_context,
        load_sections,
        render,
    )

    if args.format in ("docx", "pdf") and not args.output:
        raise _UsageError(f"--format {args.format} writes a file: add -o FILE")
    dataset = _dataset(args)
    context = load_context(args.claim)
    letter = builtin_letter(
        args.codes[0], kind=args.kind, dataset=dataset, also=args.codes[1:]
    )
    if args.sections:
        sections = load_sections(args.sections)
        unknown = [s.name for s in sections if s.name not in letter]
        if unknown:
            raise _UsageError(
                f"{args.sections}: {', '.join(unknown)} is not a section of"
                f" this letter; its sections are {', '.join(letter.names)}"
            )
        letter = letter.override(sections)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LateAppealWarning)
        text = render(letter, context, format=args.format, draft=args.draft)
    for warning in caught:
        print(f"WARNING: {warning.message}", file=sys.stderr)
    if args.json:
        facts = letter.facts
        deadline = facts.deadline_for(context) if facts else None
        print(
            json.dumps(
                {
                    "template": letter.name,
                    "kind": letter.kind,
                    "codes": args.codes,
                    "release": dataset.release,
                    "format": args.format,
                    "draft": args.draft,
                    "deadline": _deadline_dict(deadline),
                    "output": args.output,
                    "letter": text
                    if isinstance(text, str) and not args.output
                    else None,
                },
                indent=2,
            )
        )
        if args.output:
            _out(args, text)
        return 0
    _out(args, text)
    if args.output:
        print(
            f"Wrote {letter.name} ({args.format}) to {args.output}.",
            file=sys.stderr,
        )
    return 0


def _deadline_dict(deadline: Any) -> dict[str, Any] | None:
    if deadline is None:
        return None

    return {
        "date": deadline.date.isoformat() if deadline.date else None,
        "rule": deadline.rule,
        "source": deadline.source,
        "uncertain": deadline.uncertain,
        "note": deadline.note,
    }


def cmd_deadline(args: argparse.Namespace) -> int:
    from .appeals import appeal_deadline, load_context

    notice, received, printed = (
        args.notice_date,
        args.received_date,
        args.printed_deadline,
    )
    payer_type = args.payer_type
    if args.claim:
        context = load_context(args.claim)
        payer_type = payer_type or context.payer.payer_type
        notice = notice or context.denial.notice_date
        received = received or context.denial.received_date
        printed = printed or context.denial.printed_deadline
    if payer_type is None or notice is None:
        raise _UsageError(
            "give --payer-type and --notice-date, or --claim FILE with a"
            " payer and a denial notice date"
        )
    deadline = appeal_deadline(
        payer_type, args.level, notice, received, printed_deadline=printed
    )
    today = args.today or datetime.date.today()
    data = _deadline_dict(deadline) or {}
    data["days_left"] = deadline.days_left(today)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    if deadline.date is None:
        print(f"No deadline computed. {deadline.rule}")
        return 0
    left = deadline.days_left(today) or 0
    when = (
        f"{left} days after {today.isoformat()}"
        if left >= 0
        else f"passed {-left} days before {today.isoformat()}"
    )
    print(f"Deadline: {deadline.date.isoformat()} ({when})")
    print(f"Rule: {deadline.rule}")
    print(f"Source: {deadline.source}")
    if deadline.uncertain:
        print("Note: sources disagree on this rule; check the notice.")
    if deadline.note:
        print(f"Note: {deadline.note}")
    if left is not None and left < 0:
        print(
            f"WARNING: the deadline passed {-left} days ago.", file=sys.stderr
        )
    return 0


# parser ----------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """
    The argument parser of the ``denialkit`` command (used by the docs).
    """
    from .appeals import FORMATS, LETTER_KINDS, PAYER_TYPES

    parser = argparse.ArgumentParser(
        prog="denialkit",
        description="Explain healthcare claim denial codes, draft appeals"
        " and read X12 835 remittances.",
    )
    parser.add_argument(
        "--version", action="version", version=f"denialkit {__version__}"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True
    )

    def dataset_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--release", help="dataset release to use (default: newest)"
        )
        p.add_argument(
            "--x12-dir",
            help="folder with your own licensed X12 lists (carc.csv,"
            f" rarc.csv) to show official wording; or set {X12_DIR_ENV}",
        )
        p.add_argument(
            "--overlay",
            action="append",
            metavar="FILE",
            help="organisation overlay YAML (repeatable)",
        )

    p = commands.add_parser("explain", help="explain one denial code")
    p.add_argument("code", help="CO-50, 50, N386, R2, carc:B2, ...")
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="date of service: was the code valid then?",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--today", type=_date, help=argparse.SUPPRESS)
    dataset_options(p)
    p.set_defaults(func=cmd_explain, _parser=p)

    p = commands.add_parser("appeal", help="write an appeal letter")
    p.add_argument(
        "codes",
        nargs="+",
        metavar="CODE",
        help="the denial code the letter argues (then any others)",
    )
    p.add_argument(
        "--claim",
        required=True,
        metavar="FILE",
        help="claim file (YAML or JSON)",
    )
    p.add_argument("--kind", choices=LETTER_KINDS)
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument(
        "--sections",
        metavar="DIR",
        help="folder of .j2 files overriding sections by name",
    )
    p.add_argument(
        "--draft",
        action="store_true",
        help="print [Field Name] placeholders for missing fields",
    )
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument(
        "--json",
        action="store_true",
        help="print the letter and its deadline as JSON",
    )
    dataset_options(p)
    p.set_defaults(func=cmd_appeal, _parser=p)

    p = commands.add_parser("deadline", help="compute an appeal deadline")
    p.add_argument("--payer-type", choices=PAYER_TYPES)
    p.add_argument(
        "--level", choices=("first", "second", "external"), default="first"
    )
    p.add_argument("--notice-date", type=_date)
    p.add_argument("--received-date", type=_date)
    p.add_argument("--printed-deadline", type=_date)
    p.add_argument(
        "--claim", metavar="FILE", help="read the dates from a claim file"
    )
    p.add_argument("--today", type=_date, help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadline, _parser=p)

    p = commands.add_parser("releases", help="list the dataset releases")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_releases, _parser=p)

    p = commands.add_parser("diff", help="compare two dataset releases")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_diff, _parser=p)

    p = commands.add_parser("search", help="find codes by words")
    p.add_argument("text")
    p.add_argument("--limit", type=_positive, default=10)
    p.add_argument("--json", action="store_true")
    dataset_options(p)
    p.set_defaults(func=cmd_search, _parser=p)

    p = commands.add_parser("check", help="validate an organisation overlay")
    p.add_argument("file")
    p.add_argument("--release")
    p.set_defaults(func=cmd_check, _parser=p)

    p = commands.add_parser("export", help="export a release")
    p.add_argument("--format", choices=("json", "csv", "fhir"), default="json")
    p.add_argument("-o", "--output", metavar="FILE")
    dataset_options(p)
    p.set_defaults(func=cmd_export, _parser=p)

    _register_remit(commands)

    return parser


def _register_remit(commands: Any) -> None:
    try:
        from .remit._cli import register
    except ImportError:
        return
    register(commands)


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the command line; returns the exit status.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except _UsageError as exc:
        command: argparse.ArgumentParser = getattr(args, "_parser", parser)
        command.error(str(exc))
    except ReleaseIntegrityError as exc:
        print(f"denialkit: error: {exc}", file=sys.stderr)
        return 1
    except RemittanceError as exc:
        print(f"denialkit: {exc}", file=sys.stderr)
        return 1
    except DataFileError as exc:
        # A command run to check a file lists every problem; the
        # exception's own message stops at the first fifty.
        print(f"denialkit: error: {_list_problems(exc)}", file=sys.stderr)
        return 2
    except (DenialKitError, ValueError) as exc:
        print(f"denialkit: error: {exc}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"denialkit: error: {exc.args[0]}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1
    except ModuleNotFoundError as exc:
        print(
            f"denialkit: error: {exc.name} is not installed; install the"
            " extra for this format (pip install 'denialkit[docx]' or"
            " 'denialkit[pdf]').",
            file=sys.stderr,
        )
        return 1
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        # A path given on the command line that is not there: bad input.
        print(
            f"denialkit: error: {exc.strerror}: {exc.filename}",
            file=sys.stderr,
        )
        return 2
    except OSError as exc:
        print(
            f"denialkit: error: {exc.strerror}: {exc.filename}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
