"""
Denials: which adjustments count, how each code is explained, balancing,
reversal pairing, R2 and the appeal deadline.
"""

from __future__ import annotations

import datetime
import pathlib
from decimal import Decimal
from typing import Final

import pytest

import denialkit
from denialkit import CodeRef
from denialkit.remit import (
    FILING_INDICATORS,
    CodeCheck,
    Denial,
    Remittance,
    check_code,
    denials,
    read,
)

from .remit import independent
from .remit.independent import SAMPLES


def _one(name: str) -> Remittance:
    [remittance] = read(SAMPLES / name)

    return remittance


def _text(*claims: str, bpr: str = "0", filing: str = "CI") -> str:
    body = "".join(f"{segment}~" for segment in claims)
    count = 6 + body.count("~")

    return (
        f"ST*835*0001~BPR*I*{bpr}*C*CHK************20240301~"
        "TRN*1*FAKECHECK*1999999999~N1*PR*FAKE PLAN~N1*PE*FAKE CLINIC~"
        f"{body}SE*{count}*0001~"
    ).replace("{filing}", filing)


def _found(remittance: Remittance) -> list[tuple[str, str, str, str]]:
    return [
        (d.where, d.group, d.reason.code.code, d.reason.status)
        for d in denials(remittance)
    ]


def test_synthetic_file_reports_unknown_retired_and_non_x12_codes() -> None:
    """
    R2 (not a CARC), ZZ9 (unknown) and 42 (retired) are all denials with
    their own status; PR-2 and CO-45 are not denials.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    found = _found(remittance)

    assert found == [
        ("claim 1, line 1", "CO", "R2", "non_x12"),
        ("claim 1, line 2", "CO", "ZZ9", "unknown"),
        ("claim 1, line 2", "CO", "42", "deactivated"),
        ("claim 2", "CO", "197", "known"),
    ]


def test_non_x12_value_points_at_the_code_it_really_is() -> None:
    """
    R2 in a CAS is explained by the specialty code R2 of the dataset.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    [r2] = [d for d in denials(remittance) if d.reason.code.code == "R2"]

    assert r2.reason.lookup is not None
    assert r2.reason.lookup.code_set == "specialty"
    assert r2.validity is None
    assert r2.is_appealable is None


def test_deactivated_code_is_checked_against_the_date_of_service() -> None:
    """
    CARC 42 stopped in 2007, so on a 2023 date of service it was no
    longer valid; the release used is named.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    [retired] = [d for d in denials(remittance) if d.reason.code.code == "42"]

    assert retired.validity is not None
    assert retired.validity.state == "deactivated"
    assert retired.validity.on == datetime.date(2023, 12, 15)
    assert retired.reason.release == denialkit.load().release


def test_remarks_carry_their_own_status() -> None:
    """
    LQ remarks of a line are looked up too: N9999 unknown, M15 known.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    [unknown] = [d for d in denials(remittance) if d.reason.code.code == "ZZ9"]

    assert [(r.code.code, r.status) for r in unknown.remarks] == [
        ("N9999", "unknown"),
        ("M15", "known"),
    ]


def test_claim_level_only_denial_uses_the_claim_remarks() -> None:
    """
    A claim denied at claim level only (CO-197, no lines) is a denial with
    the MOA remark N290.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    [claim_level] = [d for d in denials(remittance) if d.line is None]

    assert claim_level.where == "claim 2"
    assert claim_level.amount == Decimal("500")
    assert [r.code.code for r in claim_level.remarks] == ["N290"]
    assert claim_level.is_appealable is True


@pytest.mark.parametrize(
    ("cas", "is_denial"),
    [
        ("CAS*PR*1*10", False),
        ("CAS*PR*2*10", False),
        ("CAS*PR*3*10", False),
        ("CAS*CO*45*10", False),
        ("CAS*CO*50*10", True),
        ("CAS*CO*197*10", True),
        ("CAS*CO*29*10", True),
        ("CAS*CO*XX*10", True),
    ],
)
def test_patient_share_and_contractual_are_not_denials(
    cas: str, is_denial: bool
) -> None:
    """
    The dataset's classification decides: patient share (1, 2, 3) and the
    contractual write-off (45) are not denials; 50, 197, 29 and values
    that are no CARC at all are.
    """
    text = _text("CLP*FAKEACCT*1*10*0**{filing}*FAKEICN", cas)
    [remittance] = read(text)

    found = list(denials(remittance))

    assert bool(found) is is_denial


def test_claim_level_and_line_level_denials_are_all_found() -> None:
    """
    Managed-care sample: claim-level CO-A2 on both claims are denials, the
    line PR-1 and CO-45 are not.
    """
    remittance = _one("lfh-x12_managed-care.835")

    assert _found(remittance) == [
        ("claim 1", "CO", "A2", "deactivated"),
        ("claim 2", "CO", "A2", "deactivated"),
    ]


def test_r2_when_co50_lands_on_advanced_imaging() -> None:
    """
    CO-50 on MRI code 70553 is specialty R2 (MR); on an office visit it is
    not.
    """
    text = _text(
        "CLP*FAKEACCT*4*1500*0**{filing}*FAKEICN",
        "SVC*HC:70553*1400*0**1",
        "DTM*472*20240102",
        "CAS*CO*50*1400",
        "SVC*HC:99213*100*0**1",
        "DTM*472*20240102",
        "CAS*CO*50*100",
    )
    [remittance] = read(text)

    mri, visit = denials(remittance)

    assert str(mri.specialty) == "specialty:R2"
    assert mri.imaging is not None
    assert mri.imaging.modality == "MR"
    assert visit.specialty is None


@pytest.mark.parametrize(
    ("svc", "reason", "modality"),
    [
        ("HC:74177", "197", "CT"),
        ("HC:78815:26", "50", "PET"),
        ("HC:78452", "197", "NM"),
        ("HC:0042T", "50", "CT"),
        ("HC:99213*100*0**1*HC:72148", "50", "MR"),
    ],
)
def test_r2_covers_ct_mr_pet_and_nuclear_medicine(
    svc: str, reason: str, modality: str
) -> None:
    """
    CT, MR, PET and nuclear medicine codes (also when billed as SVC06)
    make a CO-50 or CO-197 an R2.
    """
    segment = f"SVC*{svc}" if "*" in svc else f"SVC*{svc}*100*0**1"
    text = _text(
        "CLP*FAKEACCT*4*100*0**{filing}*FAKEICN",
        segment,
        "DTM*472*20240102",
        f"CAS*CO*{reason}*100",
    )
    [remittance] = read(text)

    [denial] = denials(remittance)

    assert denial.imaging is not None
    assert denial.imaging.modality == modality


def test_pr50_on_imaging_is_not_r2() -> None:
    """
    Only the CO group makes R2: PR-50 is the patient's liability.
    """
    text = _text(
        "CLP*FAKEACCT*4*100*0**{filing}*FAKEICN",
        "SVC*HC:70553*100*0**1",
        "CAS*PR*50*100",
    )
    [remittance] = read(text)

    [denial] = denials(remittance)

    assert denial.specialty is None


@pytest.mark.parametrize(
    ("filing", "payer_type", "deadline"),
    [
        ("MB", "medicare_ab", datetime.date(2024, 7, 4)),
        ("16", "medicare_advantage", datetime.date(2024, 5, 5)),
        ("CI", "commercial", datetime.date(2024, 8, 28)),
        ("MC", "medicaid", None),
        ("ZZ", None, None),
    ],
)
def test_deadline_follows_payer_type_and_notice_date(
    filing: str, payer_type: str | None, deadline: datetime.date | None
) -> None:
    """
    The first-level deadline counts from BPR16 by the payer type read from
    CLP06; Medicaid has no federal date, an unknown type no deadline.
    """
    text = _text(
        "CLP*FAKEACCT*4*100*0**{filing}*FAKEICN",
        "CAS*CO*50*100",
        filing=filing,
    )
    [remittance] = read(text)

    [denial] = denials(remittance)

    assert denial.payer_type == payer_type
    got = denial.deadline.date if denial.deadline else None
    assert got == deadline


def test_no_deadline_for_correct_and_resubmit_codes() -> None:
    """
    A code to correct and resubmit (CO-16) gets no appeal deadline.
    """
    text = _text("CLP*FAKEACCT*4*100*0**{filing}*FAKEICN", "CAS*CO*16*100")
    [remittance] = read(text)

    [denial] = denials(remittance)

    assert denial.is_appealable is False
    assert denial.deadline is None


def test_filing_indicators_map_to_the_appeals_payer_types() -> None:
    """
    Every payer type the filing indicators give is one the appeal clock
    knows.
    """
    from denialkit.appeals import PAYER_TYPES

    assert set(FILING_INDICATORS.values()) <= set(PAYER_TYPES)


def test_check_code_tells_the_four_statuses_apart() -> None:
    """
    known, deactivated, unknown and non_x12 are different answers.
    """
    statuses = [
        check_code(CodeRef("carc", code, "CO")).status
        for code in ("50", "42", "ZZ9", "XX")
    ]

    assert statuses == ["known", "deactivated", "unknown", "non_x12"]


def test_check_code_answers_per_dataset() -> None:
    """
    An explicit dataset is used and cached separately.
    """
    dataset = denialkit.load()

    first = check_code(CodeRef("carc", "50", "CO"), dataset=dataset)
    again = check_code(CodeRef("carc", "50", "CO"), dataset=dataset)

    assert first is again
    assert first.release == dataset.release


def test_denial_repr_shows_no_patient_data() -> None:
    """
    A denial's repr names codes and amounts, not the claim's patient.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    shown = "".join(repr(d) for d in denials(remittance))

    assert "TESTPATIENT" not in shown
    assert "ACCT-0001" not in shown
    assert "FAKE0001" not in shown


def test_reversal_is_paired_with_its_correction() -> None:
    """
    The reversed claim (status 22) pairs with the corrected claim for the
    same account, not with an unrelated one.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    [pair] = remittance.reversals

    assert pair.reversal.number == 3
    assert pair.correction is not None
    assert pair.correction.number == 4
    assert pair.correction.payer_claim_control_number == "ICN0003NEW"


def test_reversal_without_correction_stands_alone() -> None:
    """
    Reversals with no correction in the file pair with nothing.
    """
    remittance = _one("oopfactory_4010-grip-elements.835")

    pairs = [(p.reversal.number, p.correction) for p in remittance.reversals]

    assert pairs == [(8, None), (9, None)]


def test_reversal_prefers_the_correction_with_the_reversed_charge() -> None:
    """
    With two candidates, the one whose charge undoes the reversal wins.
    """
    text = _text(
        "CLP*ACCT*22*-150*-150**{filing}*OLD",
        "CLP*ACCT*1*90*90**{filing}*OTHER",
        "CLP*ACCT*1*150*150**{filing}*NEW",
    )
    [remittance] = read(text)

    [pair] = remittance.reversals

    assert pair.correction is not None
    assert pair.correction.number == 3


def test_imbalance_is_reported_with_the_amounts() -> None:
    """
    A line and claim that do not add up are problems naming the amounts,
    and the transaction total too.
    """
    text = _text(
        "CLP*FAKEACCT*1*100*70*20*{filing}*FAKEICN",
        "SVC*HC:99213*100*70**1",
        "CAS*PR*2*20",
        bpr="75",
    )
    reader = read(text)
    list(reader)

    problems = {p.code: p.message for p in reader.problems}

    assert (
        "charge 100.00 less adjustments 20.00 is 80.00"
        in problems["line-imbalance"]
    )
    assert "paid 70.00 (off by -10.00)" in problems["line-imbalance"]
    assert "Claim 1 does not balance" in problems["claim-imbalance"]
    assert "(off by 5.00)" in problems["payment-imbalance"]


def test_payment_balances_with_provider_adjustments() -> None:
    """
    BPR02 = claims paid - PLB amounts balances the synthetic file.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    paid = sum(
        (claim.paid or Decimal(0) for claim in remittance.claims), Decimal(0)
    )
    plb = sum(
        (p.amount or Decimal(0) for p in remittance.provider_adjustments),
        Decimal(0),
    )

    assert remittance.payment is not None
    assert remittance.payment.amount == paid - plb == Decimal("7.5")
    assert remittance.problems == ()


def test_every_adjustment_of_every_sample_is_a_denial_or_excluded() -> None:
    """
    No adjustment is lost: denials plus the excluded patient-share,
    contractual, informational and negative ones add up to all
    adjustments.
    """
    for path in sorted(SAMPLES.glob("*.835")):
        for remittance in read(path):
            found = list(denials(remittance))
            excluded = [
                a
                for _, _, a in remittance.adjustments()
                if _classified_as(check_code(a.reason))
                in ("patient_share", "contractual", "informational")
                or (a.amount is not None and a.amount < 0)
            ]
            total = sum(1 for _ in remittance.adjustments())
            assert len(found) + len(excluded) == total, path.name


def _classified_as(check: CodeCheck) -> str | None:
    if check.status != "known" or check.lookup is None:
        return None

    return check.lookup.record.adjustment


def test_denial_item_fields() -> None:
    """
    A denial exposes its group, amount and place.
    """
    remittance = _one("pyx12_835-mult-loops.835")

    first: Denial = next(denials(remittance))

    assert (first.group, first.amount, first.where) == (
        "CO",
        Decimal("500.04"),
        "claim 1, line 1",
    )
    assert first.payer_type == "medicaid"


def test_reversals_are_never_appealable() -> None:
    """
    Adjustments on a reversal (status 22) undo earlier ones: they are
    reported but never offered for appeal.
    """
    from denialkit.remit import denials, read

    from .conftest import SAMPLES

    found = [
        d
        for remittance in read(SAMPLES / "oopfactory_4010-grip-elements.835")
        for d in denials(remittance)
    ]
    undone = [
        d
        for d in found
        if d.claim.status.is_reversal
        or (d.adjustment.amount is not None and d.adjustment.amount < 0)
    ]

    assert undone
    assert all(d.is_appealable is False for d in undone)


def _every_sample_denial() -> list[Denial]:
    return [
        denial
        for path in sorted(SAMPLES.glob("*.835"))
        for remittance in read(path)
        for denial in denials(remittance)
    ]


def test_corrections_and_reversals_are_never_appealable_in_any_sample() -> (
    None
):
    """
    No denial in group CR, on a reversal (status 22) or with a negative
    amount is appealable or has an appeal deadline, in any sample.
    """
    found = _every_sample_denial()

    # Negative adjustments are no denials at all (tested below).
    reworked = [
        d for d in found if d.group == "CR" or d.claim.status.is_reversal
    ]

    assert len(reworked) > 5
    assert [d.is_appealable for d in reworked] == [False] * len(reworked)
    assert [d.deadline for d in reworked] == [None] * len(reworked)


def test_cr_18_on_a_denied_claim_is_listed_but_not_appealable() -> None:
    """
    The grip-elements sample denies claim 2 (status 4) with CR-18: the
    CARC alone says appeal, but group CR reworks an earlier adjudication,
    so the denial is listed and not appealable.
    """
    remittance = _one("oopfactory_4010-grip-elements.835")

    [cr18] = [
        d
        for d in denials(remittance)
        if (d.group, d.reason.code.code) == ("CR", "18")
    ]

    assert (cr18.where, cr18.claim.status.code) == ("claim 2, line 1", "4")
    assert cr18.amount == Decimal("25.95")
    assert cr18.reason.lookup is not None
    assert cr18.reason.lookup.record.is_appealable is True
    assert cr18.is_appealable is False
    assert cr18.deadline is None


def test_negative_adjustments_are_not_denials() -> None:
    """
    A negative adjustment adds to the payment, so it is no denial: the
    large sample's reversals with CR-50 -14 and CR-18 -50 yield none.
    """
    [*remittances] = read(SAMPLES / "oopfactory_4010-deidentified-large.835")

    found = [d for remittance in remittances for d in denials(remittance)]
    negative = [
        adjustment
        for remittance in remittances
        for _, _, adjustment in remittance.adjustments()
        if adjustment.amount is not None and adjustment.amount < 0
    ]

    assert {(a.group, a.reason.code) for a in negative} >= {
        ("CR", "50"),
        ("CR", "18"),
    }
    assert [d for d in found if d.amount is not None and d.amount < 0] == []
    assert ("CR", "50") not in {(d.group, d.reason.code.code) for d in found}


def test_a_negative_denial_code_is_not_a_denial() -> None:
    """
    CO-50 with a negative amount gives back an earlier reduction; the
    positive CO-50 beside it is the denial.
    """
    text = _text(
        "CLP*FAKEACCT*1*100*40**{filing}*FAKEICN",
        "SVC*HC:99213*100*40**1",
        "CAS*CO*50*70**50*-10",
    )
    [remittance] = read(text)

    found = [(d.group, d.amount) for d in denials(remittance)]

    assert found == [("CO", Decimal("70"))]


# Element qualifiers whose values identify a patient or a claim: NM1
# entities (patient, insured, corrected patient, other subscriber) and
# the patient's REF numbers; dates of service, statement and receipt.
_PEOPLE: Final = {"QC", "IL", "74", "GB"}
_PATIENT_REFS: Final = {"EA", "1W", "SY", "28", "6R", "F8", "1K", "BB"}
_SERVICE_DATES: Final = {"472", "150", "151", "232", "233", "050"}


def _patient_data(path: pathlib.Path) -> set[str]:
    """
    Every patient value of a sample as text, read without denialkit:
    names, identifiers, claim numbers and dates of service (as sent, ISO
    and as a date repr).  Masked values made of one repeated character
    (``XXXX``, ``9999``) and values under four characters are left out:
    they identify no one and occur in codes and amounts.
    """
    found: set[str] = set()
    for row in independent.segments(path.read_text("utf-8-sig")):
        tag = row[0]
        if tag == "NM1" and len(row) > 1 and row[1] in _PEOPLE:
            found.update(row[3:6])
            found.update(row[9:10])
        elif tag == "REF" and len(row) > 2 and row[1] in _PATIENT_REFS:
            found.add(row[2])
        elif tag == "CLP":
            found.update([row[1], *row[7:8]])
        elif tag == "DTM" and len(row) > 2 and row[1] in _SERVICE_DATES:
            day = datetime.datetime.strptime(row[2], "%Y%m%d").date()
            found.update((row[2], day.isoformat(), repr(day)))

    return {
        value.strip()
        for value in found
        if len(value.strip()) >= 4 and len(set(value.strip())) > 1
    }


def test_no_repr_shows_patient_data_in_any_sample() -> None:
    """
    Across every sample, the repr of each denial, and of its claim, line,
    adjustment and validity, shows no patient name, identifier, claim
    number or date of service from the file.
    """
    leaks = []
    for path in sorted(SAMPLES.glob("*.835")):
        secrets = _patient_data(path)
        for remittance in read(path):
            for denial in denials(remittance):
                shown = "".join(
                    repr(part)
                    for part in (
                        denial,
                        denial.claim,
                        denial.line,
                        denial.adjustment,
                        denial.validity,
                    )
                )
                leaks += [
                    (path.name, denial.where, secret)
                    for secret in secrets
                    if secret in shown
                ]

    assert leaks == []


def test_validity_in_a_denial_repr_is_masked() -> None:
    """
    The date of service checked for a deactivated CARC is kept on the
    denial but masked in its repr.
    """
    remittance = _one("synthetic_denial-edge-cases.835")

    [retired] = [d for d in denials(remittance) if d.reason.code.code == "42"]

    assert retired.validity is not None
    assert retired.validity.on == datetime.date(2023, 12, 15)
    assert "on=***" in repr(retired)
    assert "2023" not in repr(retired)


def test_imbalance_amounts_show_two_decimal_places() -> None:
    """
    Amounts sent with no or one decimal place read as money (1.0 as
    1.00); one sent with more places keeps them, unrounded.
    """
    text = _text(
        "CLP*FAKEACCT*1*100*79.0*20*{filing}*FAKEICN",
        "SVC*HC:99213*100*79.0**1",
        "CAS*PR*2*20",
        "CLP*FAKEACCT2*1*50*49.995**{filing}*FAKEICN2",
        bpr="128.995",
    )
    reader = read(text)
    list(reader)

    problems = [p.message for p in reader.problems]
    [line] = [p for p in problems if p.startswith("Line 1 of claim 1")]
    [claim] = [p for p in problems if p.startswith("Claim 2")]

    assert line.endswith(
        "charge 100.00 less adjustments 20.00 is 80.00, but the payer paid"
        " 79.00 (off by -1.00)."
    )
    assert claim.endswith(
        "charge 50.00 less adjustments 0.00 is 50.00, but the payer paid"
        " 49.995 (off by -0.005)."
    )
    assert [p for p in problems if "off by -1.0)" in p] == []


def test_payment_imbalance_keeps_its_cents() -> None:
    """
    The grip-elements payment is off by the PLB's -1.27, printed as sent.
    """
    reader = read(SAMPLES / "oopfactory_4010-grip-elements.835")
    list(reader)

    [problem] = reader.problems

    assert problem.message.endswith(
        "is 5.75, but the claims paid 5.75 less provider adjustments of"
        " -1.27 make 7.02 (off by -1.27)."
    )
