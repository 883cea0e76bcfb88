"""
Every sample 835 is read with every claim, line and adjustment.

Expected numbers come two ways: hand-checked literals for the small files
(worked out from the segments, as the comments show), and for every file
a second, deliberately simple reading in ``tests/remit/independent.py``.
"""

from __future__ import annotations

import pathlib
from decimal import Decimal

import pytest

from denialkit.remit import Problem, Remittance, read

from .remit.independent import SAMPLES, count

FILES = sorted(path.name for path in SAMPLES.glob("*.835"))

# file: "transactions claims lines claim-level-adjustments
# line-level-adjustments adjustment-sum PLB-pairs PLB-sum"
HAND_CHECKED = {
    # CO-42 34.6 + PR-2 117.54 + PR-3 25.
    "edi-835-parser_bcbs-nc.835": "1 1 3 0 3 177.14 0 0",
    # CO-29 12 and 22 on claim 2; CO-251 2.75 and 20 on claim 3.
    "edi-835-parser_emedny.835": "1 3 10 0 4 56.75 0 0",
    "derived_emedny_pipe-delimited-crlf.835": "1 3 10 0 4 56.75 0 0",
    # CAS*PR*2*5.13**1*110 is two triplets: PR-2 5.13 and PR-1 110.
    "edi-835-parser_uhc-legacy.835": "1 2 5 0 7 807.53 0 0",
    "derived_uhc-legacy_newline-terminated.835": "1 2 5 0 7 807.53 0 0",
    # Six masked triplets at claim level and six at line level, all 0.
    "edi-835-parser-fork_exhaustive-structure.835": "1 1 1 6 6 0 6 0",
    # Claim-level only: 50016 + 22216 + 3002 + 9365.04 + 31866; the
    # third transaction is a PLB alone: -1092.46 - 719.81 - 181.55
    # + 181.55 - 130 + 130.
    "edi-835-parser-fork_nevada-medicaid.835": (
        "3 3 0 5 0 116465.04 6 -1812.27"
    ),
    # CO-16 500.04, OA-A7 127.8 and 287.55.
    "pyx12_835-mult-loops.835": "1 1 3 0 3 915.39 0 0",
    # Claim CO-A2 50 and 55; lines PR-1 300, PR-1 600, CO-45 50.
    "lfh-x12_managed-care.835": "1 2 2 2 3 1055.00 0 0",
    # CO-45 73348.57 and 3019.67; PLB CV:CP -1.27.
    "lfh-x12_medicare-part-a.835": "1 2 0 2 0 76368.24 1 -1.27",
    # OA-23 516.00 and OA-94 -9.00.
    "lfh-x12_cob-contractual-adjustment.835": "1 1 1 0 2 507.00 0 0",
    # Nine claims of 5, 2, 5, 3, 3, 5, 3, 3 and 4 lines; 39 CAS.
    "badx12_dental-multiple-claims-single-check.835": "1 9 33 0 39 2008.2 0 0",
    # One line per claim; CAS with three triplets and a repeated reason.
    "oopfactory_4010-grip-elements.835": "1 9 9 0 21 434.24 1 -1.27",
    # PR-2 20, CO-45 30, R2 10, ZZ9 150, 42 50, claim CO-197 500,
    # reversal PR-1 -30, correction PR-1 30 and CO-45 20; PLB 15 - 2.5.
    "synthetic_denial-edge-cases.835": "1 4 4 1 8 780 2 12.5",
}


def _counts(remittances: list[Remittance]) -> tuple[object, ...]:
    claims = [claim for r in remittances for claim in r.claims]
    at_claim = [a for claim in claims for a in claim.adjustments]
    at_line = [
        a for claim in claims for line in claim.lines for a in line.adjustments
    ]
    plbs = [plb for r in remittances for plb in r.provider_adjustments]

    return (
        len(remittances),
        len(claims),
        sum(len(claim.lines) for claim in claims),
        len(at_claim),
        len(at_line),
        sum((a.amount or Decimal(0) for a in at_claim + at_line), Decimal(0)),
        len(plbs),
        sum((plb.amount or Decimal(0) for plb in plbs), Decimal(0)),
    )


def test_all_fifteen_samples_are_here() -> None:
    """
    The fifteen reference samples are present.
    """
    assert len(FILES) == 15


@pytest.mark.parametrize("name", FILES)
def test_sample_matches_the_independent_reading(name: str) -> None:
    """
    Each sample has the transactions, claims, lines, adjustments and
    amounts that a second, simple reading finds.
    """
    path = SAMPLES / name
    expected = count(path)

    got = _counts(list(read(path)))

    assert got == tuple(expected)


@pytest.mark.parametrize("name", sorted(HAND_CHECKED))
def test_sample_matches_the_hand_checked_numbers(name: str) -> None:
    """
    The small samples match numbers worked out by hand from the segments.
    """
    values = HAND_CHECKED[name].split()
    numbers = [int(value) for value in values[:5]]
    expected = (
        *numbers,
        Decimal(values[5]),
        int(values[6]),
        Decimal(values[7]),
    )

    got = _counts(list(read(SAMPLES / name)))

    assert got == expected


def test_large_4010_file_reads_every_claim_and_line() -> None:
    """
    The 437 KB 4010 file (BOM-free CRLF, indented, six transactions) has
    375 claims and 1,552 lines, as its provenance notes say.
    """
    path = SAMPLES / "oopfactory_4010-deidentified-large.835"
    remittances = list(read(path))

    claims = [claim for r in remittances for claim in r.claims]
    statuses = {claim.status.code for claim in claims}

    assert len(remittances) == 6
    assert len(claims) == 375
    assert sum(len(claim.lines) for claim in claims) == 1552
    assert statuses == {"1", "2", "4", "19", "22"}
    assert sum(claim.status.is_reversal for claim in claims) == 8


def test_all_six_triplets_of_a_cas_are_kept() -> None:
    """
    A CAS with six triplets gives six adjustments, numbered 1 to 6.
    """
    path = SAMPLES / "edi-835-parser-fork_exhaustive-structure.835"
    [remittance] = read(path)

    [claim] = remittance.claims

    six = list(range(1, 7))
    assert [a.triplet for a in claim.adjustments] == six
    assert [a.triplet for a in claim.lines[0].adjustments] == six


def test_second_triplet_with_quantity_is_kept() -> None:
    """
    CAS*PR*2*5.13**1*110 gives PR-2 5.13 and PR-1 110, both kept.
    """
    [remittance] = read(SAMPLES / "edi-835-parser_uhc-legacy.835")

    line = remittance.claims[1].lines[2]

    assert [(a.group, a.reason.code, a.amount) for a in line.adjustments] == [
        ("PR", "2", Decimal("5.13")),
        ("PR", "1", Decimal("110")),
        ("CO", "45", Decimal("184.32")),
    ]


def test_same_reason_twice_in_one_cas_is_kept_twice() -> None:
    """
    CAS*OA*23*57.6*0*23*-1.08*0 gives two OA-23 adjustments, one negative.
    """
    [remittance] = read(SAMPLES / "oopfactory_4010-grip-elements.835")

    line = remittance.claims[4].lines[0]
    found = [(a.reason.code, a.amount, a.quantity) for a in line.adjustments]

    assert found == [
        ("42", Decimal("0"), Decimal("0")),
        ("23", Decimal("57.6"), Decimal("0")),
        ("23", Decimal("-1.08"), Decimal("0")),
    ]


def test_claim_status_25_and_unknown_statuses_are_decoded() -> None:
    """
    Status 25 is decoded; every status of the 4010 sample is known.
    """
    [remittance] = read(SAMPLES / "oopfactory_4010-grip-elements.835")

    statuses = [claim.status for claim in remittance.claims]

    codes = " ".join(s.code for s in statuses)

    assert codes == "1 4 4 2 4 1 25 22 22"
    assert all(status.is_known for status in statuses)
    assert "predetermination" in (statuses[6].description or "")


def test_claims_are_told_apart_by_number_not_clp01() -> None:
    """
    The dental sample repeats CLP01 on nine claims; each keeps its own
    number, patient and lines.
    """
    [remittance] = read(
        SAMPLES / "badx12_dental-multiple-claims-single-check.835"
    )

    claims = remittance.claims

    assert {claim.patient_control_number for claim in claims} == {"7722337"}
    assert [claim.number for claim in claims] == list(range(1, 10))
    assert len({claim.patient.id for claim in claims if claim.patient}) == 9
    assert remittance.problems == ()


def test_header_fields_are_read() -> None:
    """
    Payer, payee, payment, trace and production date come from BPR, TRN,
    N1 and DTM*405; an alphanumeric payee ID is kept as text.
    """
    [remittance] = read(SAMPLES / "lfh-x12_cob-contractual-adjustment.835")

    assert remittance.payer is not None
    assert remittance.payer.name == "YOUR TAX DOLLARS AT WORK"
    assert remittance.payee is not None
    assert remittance.payee.id == "3UR334563"
    assert remittance.payment is not None
    assert remittance.payment.amount == Decimal("34.00")
    assert remittance.payment.method == "CHK"
    # This file puts the date one element early (BPR15); BPR16 is empty.
    assert remittance.payment.date is None
    assert [p.code for p in remittance.problems][:1] == ["missing-value"]
    assert remittance.trace is not None
    assert remittance.trace.number == "0063158ABC"
    assert str(remittance.production_date) == "2005-03-18"
    assert remittance.version == "005010X221A1"


def test_service_line_fields_are_read() -> None:
    """
    SVC composites split into qualifier, code and modifiers; SVC06,
    dates, REF*6R, AMT*B6 and LQ*HE land on the line.
    """
    [remittance] = read(SAMPLES / "edi-835-parser_bcbs-nc.835")
    [emedny] = read(SAMPLES / "edi-835-parser_emedny.835")

    line = remittance.claims[0].lines[0]
    denied = emedny.claims[2].lines[2]

    assert line.procedure is not None
    assert (line.procedure.qualifier, line.procedure.code) == ("HC", "59430")
    assert line.submitted_procedure is not None
    assert line.submitted_procedure.code == "59410"
    assert (line.charge, line.paid) == (Decimal("1210"), Decimal("1057.86"))
    assert line.control_number == "0001"
    assert line.allowed == Decimal("1175.4")
    assert str(line.service_from) == "2010-12-31"
    assert denied.procedure is not None
    assert denied.procedure.modifiers == ("RB",)
    assert [str(remark) for remark in denied.remarks] == ["rarc:N206"]


def test_claim_remarks_come_from_moa_and_mia() -> None:
    """
    MOA and MIA remark codes are claim remarks.
    """
    [remittance] = read(SAMPLES / "lfh-x12_medicare-part-a.835")

    second = remittance.claims[1]

    assert [remark.code for remark in second.remarks] == ["MA02"]
    assert second.filing_indicator == "MB"
    assert second.payer_type == "medicare_ab"


def test_provider_adjustments_keep_reason_reference_and_sign() -> None:
    """
    PLB pairs keep their reason, reference and signed amount.
    """
    [remittance] = read(SAMPLES / "synthetic_denial-edge-cases.835")

    found = [
        (plb.reason, plb.reference, plb.amount)
        for plb in remittance.provider_adjustments
    ]

    assert found == [
        ("WO", "ICN0001OVP", Decimal("15")),
        ("L6", "INTEREST", Decimal("-2.5")),
    ]


def test_balanced_samples_report_no_balancing_problem() -> None:
    """
    Files that balance (the synthetic one, the TR3 examples) have no
    balancing problem at any level.
    """
    names = [
        "synthetic_denial-edge-cases.835",
        "lfh-x12_medicare-part-a.835",
        "lfh-x12_cob-contractual-adjustment.835",
        "edi-835-parser-fork_nevada-medicaid.835",
        "edi-835-parser_uhc-legacy.835",
    ]

    codes = [
        problem.code
        for name in names
        for problem in _problems(SAMPLES / name)
        if "balance" in problem.code
    ]

    assert codes == []


def _problems(path: pathlib.Path) -> list[Problem]:
    reader = read(path)
    list(reader)

    return reader.problems
