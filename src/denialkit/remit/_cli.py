"""
The ``denialkit remit`` command: read 835 files, list denials and
problems, and draft appeal letters in batch.

Output goes to stdout (a summary, ``--json`` or ``--csv``), progress and
notes to stderr.  Exit status: 0 when every file was read, 1 when
``--strict`` found problems, 2 for bad arguments or unreadable paths.
The text summary names payers, codes and amounts only; ``--json`` and
``--csv`` add the claim numbers a biller needs to work each denial.
``--appeals`` never replaces a letter file that already exists unless
``--overwrite`` is given, so edits made to a draft survive a rerun.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import pathlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, Final

import attrs

from ..exceptions import DenialKitError
from ._denials import Denial, denials, reworks_earlier
from ._model import Claim, Problem
from ._reader import read

if TYPE_CHECKING:
    from .._dataset import Dataset
    from ..appeals import AppealContext

# Files in a folder are read when they start like an X12 file.
_SNIFF: Final = 512
_SHOWN_PROBLEMS: Final = 10
CSV_FIELDS: Final = (
    "file",
    "transaction",
    "payer",
    "claim",
    "line",
    "patient_control_number",
    "payer_claim_control_number",
    "claim_status",
    "procedure",
    "group",
    "reason",
    "status",
    "amount",
    "remarks",
    "specialty",
    "appealable",
    "payer_type",
    "deadline",
)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """
    Add the ``remit`` subcommand to an argparse subparsers object.

    Added in 0.1.0.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "remit",
        help="read 835 remittances and list their denials",
        description="Read X12 835 files (or every 835 in a folder), list"
        " each denial by payer and reason with the problems found, and"
        " optionally draft one appeal letter per appealable denial.",
    )
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR")
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json", action="store_true", help="print one JSON document"
    )
    output.add_argument(
        "--csv", action="store_true", help="print one CSV row per denial"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 if any problem is found",
    )
    parser.add_argument(
        "--appeals",
        metavar="DIR",
        help="write a drafted letter per appealable denial into DIR;"
        " a letter whose file exists is kept, not replaced",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="with --appeals, replace letters that already exist",
    )
    parser.add_argument(
        "--practice",
        metavar="FILE",
        help="YAML or JSON file with the practice, as in"
        " examples/practice.yaml (needed by --appeals)",
    )
    parser.add_argument(
        "--release", help="dataset release to use (default: newest)"
    )
    parser.set_defaults(func=run)

    return parser


class _UsageError(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    """
    Carry out ``denialkit remit``; returns the exit status.
    """
    try:
        files = list(_files(args.paths))
        if bool(args.appeals) != bool(args.practice):
            raise _UsageError("--appeals and --practice go together")
        if args.overwrite and not args.appeals:
            raise _UsageError("--overwrite only applies with --appeals")
        dataset = _dataset(args.release)
        practice = _practice(args.practice) if args.practice else None
    except (_UsageError, DenialKitError) as error:
        print(f"denialkit remit: error: {error}", file=sys.stderr)
        return 2

    report = _Report(dataset)
    unreadable = 0
    for number, path in enumerate(files, 1):
        if len(files) > 1:
            print(f"[{number}/{len(files)}] {path}", file=sys.stderr)
        try:
            report.add(path)
        except OSError as error:
            unreadable += 1
            print(
                f"denialkit remit: error: cannot read {path}"
                f" ({error.strerror})",
                file=sys.stderr,
            )
    if args.json:
        json.dump(report.as_json(), sys.stdout, indent=1)
        print()
    elif args.csv:
        report.write_csv(sys.stdout)
        _problem_counts(report.problems, sys.stderr)
    else:
        report.write_text(sys.stdout)
    if practice is not None:
        _write_letters(
            report.denials, practice, args.appeals, overwrite=args.overwrite
        )

    if unreadable:
        return 2
    return 1 if args.strict and report.problems else 0


def _files(paths: Iterable[str]) -> Iterator[str]:
    for path in paths:
        if os.path.isdir(path):
            found = sorted(
                str(item)
                for item in pathlib.Path(path).rglob("*")
                if item.is_file() and _looks_like_x12(item)
            )
            if not found:
                raise _UsageError(f"no 835 files found in folder {path}")
            yield from found
        elif os.path.exists(path):
            yield path
        else:
            raise _UsageError(f"no such file or folder: {path}")


def _looks_like_x12(path: pathlib.Path) -> bool:
    try:
        with path.open("rb") as stream:
            start = stream.read(_SNIFF)
    except OSError:
        return False
    text = start.decode("utf-8", "replace").lstrip(" \t\r\n\ufeff")

    return text.startswith(("ISA", "ST")) and len(text) > 3


def _dataset(release: str | None) -> Dataset:
    from .. import load

    return load(release)


class _Report:
    """
    Everything read so far: remittances counted, denials kept, problems.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.files = 0
        self.remittances = 0
        self.claims = 0
        self.lines = 0
        self.adjustments = 0
        # Negative adjustments add to the payment, so they are not denials.
        self.negative = 0
        self.denials: list[tuple[str, Denial]] = []
        self.problems: list[tuple[str, Problem]] = []

    def add(self, path: str) -> None:
        reader = read(path)
        name = os.path.basename(path)
        for remittance in reader:
            self.remittances += 1
            self.claims += len(remittance.claims)
            for claim in remittance.claims:
                self.lines += len(claim.lines)
            for _, _, adjustment in remittance.adjustments():
                self.adjustments += 1
                amount = adjustment.amount
                self.negative += amount is not None and amount < 0
            for denial in denials(remittance, dataset=self.dataset):
                self.denials.append((name, denial))
        self.problems.extend((name, problem) for problem in reader.problems)
        self.files += 1

    def summary(self) -> list[tuple[str, str, str, int, Decimal]]:
        groups: dict[tuple[str, str, str], list[Decimal]] = {}
        for _, denial in self.denials:
            payer = denial.remittance.payer
            key = (
                (payer.name if payer else None) or "(payer not named)",
                _label(denial),
                denial.reason.status,
            )
            groups.setdefault(key, []).append(
                denial.adjustment.amount or Decimal(0)
            )
        rows = [
            (payer, reason, status, len(amounts), sum(amounts, Decimal(0)))
            for (payer, reason, status), amounts in groups.items()
        ]

        return sorted(rows, key=lambda row: (row[0], -row[4], row[1]))

    def write_text(self, out: IO[str]) -> None:
        out.write(
            f"Read {self.files} file(s): {self.remittances} remittance(s),"
            f" {self.claims} claim(s), {self.lines} line(s),"
            f" {self.adjustments} adjustment(s); {len(self.denials)}"
            f" denial(s) (dataset release {self.dataset.release}).\n"
        )
        rows = self.summary()
        if rows:
            width = min(40, max(len(row[0]) for row in rows))
            out.write("\nDenials by payer and reason\n")
            out.write(
                f"{'PAYER':<{width}}  {'REASON':<8} {'STATUS':<11}"
                f" {'COUNT':>6} {'AMOUNT':>14}\n"
            )
            for payer, reason, status, count, amount in rows:
                out.write(
                    f"{payer[:width]:<{width}}  {reason:<8} {status:<11}"
                    f" {count:>6} {amount:>14,.2f}\n"
                )
        self._write_notes(out)
        _problem_counts(self.problems, out)
        by_file: dict[str, list[Problem]] = {}
        for name, problem in self.problems:
            by_file.setdefault(name, []).append(problem)
        for name, problems in by_file.items():
            out.write(f"\n{name}:\n")
            for problem in problems[:_SHOWN_PROBLEMS]:
                out.write(f"  {problem}\n")
            if len(problems) > _SHOWN_PROBLEMS:
                out.write(
                    f"  … and {len(problems) - _SHOWN_PROBLEMS} more"
                    " (--json lists them all)\n"
                )

    def _write_notes(self, out: IO[str]) -> None:
        """
        Say which adjustments the table leaves out or lists without
        offering an appeal, so a missing or unexpected row is explained.
        """
        reworked = sum(
            reworks_earlier(denial.claim, denial.adjustment)
            for _, denial in self.denials
        )
        if reworked:
            out.write(
                f"\n{reworked} of these denial(s) are in group CR or on a"
                " reversal (claim status 22): they rework an earlier"
                " claim, so no appeal is drafted for them.\n"
            )
        if self.negative:
            out.write(
                f"\n{self.negative} negative adjustment(s) are not"
                " counted as denials: a negative amount adds back what an"
                " adjustment took, as reversals and corrections do.\n"
            )

    def as_json(self) -> dict[str, Any]:
        return {
            "release": self.dataset.release,
            "files": self.files,
            "remittances": self.remittances,
            "claims": self.claims,
            "lines": self.lines,
            "adjustments": self.adjustments,
            "negative_adjustments": self.negative,
            "summary": [
                {
                    "payer": payer,
                    "reason": reason,
                    "status": status,
                    "count": count,
                    "amount": str(amount),
                }
                for payer, reason, status, count, amount in self.summary()
            ],
            "denials": [_row(name, denial) for name, denial in self.denials],
            "problems": [
                _problem_json(name, problem) for name, problem in self.problems
            ],
        }

    def write_csv(self, out: IO[str]) -> None:
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for name, denial in self.denials:
            row = _row(name, denial)
            row["remarks"] = " ".join(row["remarks"])
            writer.writerow(
                {
                    key: "" if value is None else value
                    for key, value in row.items()
                }
            )


def _label(denial: Denial) -> str:
    return f"{denial.group}-{denial.reason.code.code}"


def _row(name: str, denial: Denial) -> dict[str, Any]:
    claim, line = denial.claim, denial.line
    payer = denial.remittance.payer
    amount = denial.adjustment.amount
    deadline = denial.deadline

    return {
        "file": name,
        "transaction": denial.remittance.transaction,
        "payer": payer.name if payer else None,
        "claim": claim.number,
        "line": line.number if line else None,
        "patient_control_number": claim.patient_control_number,
        "payer_claim_control_number": claim.payer_claim_control_number,
        "claim_status": claim.status.code,
        "procedure": str(line.procedure) if line and line.procedure else None,
        "group": denial.group,
        "reason": denial.reason.code.code,
        "status": denial.reason.status,
        "amount": None if amount is None else str(amount),
        "remarks": [
            f"{check.code.code}:{check.status}" for check in denial.remarks
        ],
        "specialty": denial.specialty.code if denial.specialty else None,
        "appealable": denial.is_appealable,
        "payer_type": denial.payer_type,
        "deadline": deadline.date.isoformat()
        if deadline is not None and deadline.date is not None
        else None,
    }


def _problem_json(name: str, problem: Problem) -> dict[str, Any]:
    position = problem.position

    return {
        "file": name,
        "code": problem.code,
        "severity": problem.severity,
        "message": problem.message,
        "position": attrs.asdict(position) if position else None,
    }


def _problem_counts(problems: list[tuple[str, Problem]], out: IO[str]) -> None:
    if not problems:
        out.write("\nNo problems found.\n")
        return
    severities = Counter(problem.severity for _, problem in problems)
    codes = Counter(problem.code for _, problem in problems)
    listed = ", ".join(
        f"{count} {code}" for code, count in codes.most_common()
    )
    out.write(
        f"\nProblems: {len(problems)} ({severities['error']} error(s),"
        f" {severities['warning']} warning(s)): {listed}\n"
    )


# Appeal letters -----------------------------------------------------------


def _practice(path: str) -> AppealContext:
    """
    A context holding the practice file's facts, to be completed from
    each denial; the practice part is checked by the appeals loader.
    """
    from ..appeals import context_from_data
    from ..exceptions import DataFileError

    try:
        text = pathlib.Path(path).read_text("utf-8")
    except OSError as error:
        raise DataFileError(
            f"cannot read the file ({error.strerror})", file=path
        ) from None
    data = _parse(text, path)
    if not isinstance(data, dict):
        raise DataFileError("expected a mapping at the top", file=path)
    if "practice" not in data:
        data = {"practice": data}
    kept = {
        key: data[key]
        for key in ("practice", "provider", "signer_name", "signer_title")
        if key in data
    }
    # Stand-ins for the parts every letter replaces from its denial.
    kept.update(
        payer={"name": "-", "payer_type": "other"},
        patient={"name": "-", "member_id": "-"},
        claim={"number": "-"},
        denial={"codes": ["CO-50"], "notice_date": "2000-01-01"},
    )

    return context_from_data(kept, file=path)


def _parse(text: str, path: str) -> Any:
    from ..exceptions import DataFileError

    if path.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DataFileError(
                f"not valid JSON: {error.msg}", file=path, line=error.lineno
            ) from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise DataFileError("not valid YAML", file=path) from None


def _write_letters(
    found: list[tuple[str, Denial]],
    practice: AppealContext,
    folder: str,
    *,
    overwrite: bool = False,
) -> None:
    from ..appeals import builtin_letter

    os.makedirs(folder, exist_ok=True)
    written = drafts = 0
    skipped: Counter[str] = Counter()
    names: set[str] = set()
    for name, denial in found:
        if denial.is_appealable is not True:
            continue
        target = pathlib.Path(folder) / _unique(
            _letter_name(name, denial), names
        )
        if not overwrite and target.exists():
            skipped[_ALREADY_WRITTEN] += 1
            continue
        context = _context(practice, denial)
        if context is None:
            skipped["without a notice date in the 835"] += 1
            continue
        code = denial.specialty or denial.reason.code
        try:
            letter = builtin_letter(code)
            text, is_draft = _render(letter, context)
        except DenialKitError as error:
            skipped["not drafted (see the notes above)"] += 1
            print(
                f"denialkit remit: no letter for {name} {denial.where}:"
                f" {error}",
                file=sys.stderr,
            )
            continue
        if not _write(target, text, overwrite=overwrite):
            skipped[_ALREADY_WRITTEN] += 1
            continue
        written += 1
        drafts += is_draft

    print(
        f"Wrote {written} appeal letter(s) to {folder} ({drafts} draft(s)"
        f" with [placeholders] for facts an 835 does not carry);"
        f" {_skipped(skipped)}.",
        file=sys.stderr,
    )


_ALREADY_WRITTEN: Final = "already written"


def _unique(name: str, taken: set[str]) -> str:
    """
    *name*, or *name* with a number added when an earlier letter of this
    run took it, as files of the same name in two folders would.
    """
    found, number = name, 1
    while found in taken:
        number += 1
        found = f"{name.removesuffix('.txt')}-{number}.txt"
    taken.add(found)

    return found


def _write(target: pathlib.Path, text: str, *, overwrite: bool) -> bool:
    """
    Write a letter; without *overwrite*, only if no file has the name
    (exclusive creation, so a file made meanwhile is kept too).
    """
    try:
        with target.open("w" if overwrite else "x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        return False

    return True


def _skipped(reasons: Counter[str]) -> str:
    """
    ``"skipped 0"``, ``"skipped 3: already written; pass --overwrite to
    replace"``, or a count per reason when there are several.
    """
    total = sum(reasons.values())
    if not total:
        return "skipped 0"
    if len(reasons) == 1:
        listed = next(iter(reasons))
    else:
        listed = ", ".join(
            f"{count} {reason}" for reason, count in reasons.items()
        )
    advice = (
        "; pass --overwrite to replace" if reasons[_ALREADY_WRITTEN] else ""
    )

    return f"skipped {total}: {listed}{advice}"


def _render(letter: Any, context: AppealContext) -> tuple[str, bool]:
    import warnings

    from ..appeals import LateAppealWarning, render
    from ..exceptions import MissingFieldsError

    with warnings.catch_warnings():
        # A late appeal still gets its letter; the deadline is in the
        # summary and in the letter itself.
        warnings.simplefilter("ignore", LateAppealWarning)
        try:
            return str(render(letter, context)), False
        except MissingFieldsError:
            return str(render(letter, context, draft=True)), True


def _letter_name(file: str, denial: Denial) -> str:
    """
    The file name of a denial's letter: the input file's stem, the
    payment's trace number, and where the denial is in the file.

    The trace number (``TRN02``, the check or EFT number, which names
    the payment and no patient) tells apart remittances whose files share
    a name, such as each month's ``remit.835``, so a rerun finds its own
    letters and never another remittance's.
    """
    stem = pathlib.Path(file).stem
    line = denial.line.number if denial.line else 0
    trace = denial.remittance.trace
    number = "".join(
        char
        for char in (trace.number if trace else None) or ""
        if char.isascii() and char.isalnum()
    )

    return (
        f"{stem}-{number[:30] or 'untraced'}"
        f"-t{denial.remittance.transaction}-c{denial.claim.number}"
        f"-l{line}-{denial.group}-{denial.reason.code.code}.txt"
    )


def _context(practice: AppealContext, denial: Denial) -> AppealContext | None:
    from ..appeals import Claim as LetterClaim
    from ..appeals import Denial as LetterDenial
    from ..appeals import Patient, Payer
    from ..appeals import ServiceLine as LetterLine

    notice = denial.remittance.notice_date
    if notice is None:
        return None
    claim = denial.claim
    payer = denial.remittance.payer
    patient = claim.patient
    name = " ".join(
        part
        for part in (
            patient.first_name if patient else None,
            patient.last_name if patient else None,
        )
        if part
    )
    lines = _denial_lines(claim, denial)
    codes = [denial.reason.code]
    codes.extend(check.code for check in denial.remarks)
    if denial.specialty:
        codes.append(denial.specialty)

    return attrs.evolve(
        practice,
        payer=Payer(
            name=(payer.name if payer else None) or "",
            payer_type=denial.payer_type or "other",
        ),
        patient=Patient(
            name=name, member_id=(patient.id if patient else None) or ""
        ),
        claim=LetterClaim(
            number=claim.patient_control_number,
            payer_claim_number=claim.payer_claim_control_number,
            billed_amount=claim.charge,
            service_lines=tuple(
                LetterLine(
                    date_of_service=day,
                    cpt=code,
                    modifiers=modifiers,
                    billed=billed,
                )
                for day, code, modifiers, billed in lines
            ),
        ),
        denial=LetterDenial(codes=tuple(codes), notice_date=notice),
    )


def _denial_lines(
    claim: Claim, denial: Denial
) -> list[tuple[datetime.date | None, str, tuple[str, ...], Decimal | None]]:
    """
    The services a letter lists: the denied line, or every line of a
    claim-level denial.

    A claim with no lines is listed as one service: the claim's charge on
    the day of its statement period (``DTM*232``), and a line with no
    date of its own takes that day too, as the 835 means it to.  That is
    done only for a one-day period: a letter gives each service one
    date, and the first day of a longer period would be a guess, so such
    a service keeps no date and the draft shows a placeholder.  An 835
    names no procedure for a claim without lines, so the letter keeps a
    placeholder for that too.
    """
    start = claim.statement_from
    if claim.statement_to not in (None, start):
        start = None
    chosen = [denial.line] if denial.line else list(claim.lines)
    services = [
        (
            line.service_from or start,
            line.procedure.code if line.procedure else "",
            line.procedure.modifiers if line.procedure else (),
            line.charge,
        )
        for line in chosen
        if line is not None
    ]

    return services or [(start, "", (), claim.charge)]
