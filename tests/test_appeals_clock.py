"""
Tests for appeal_deadline with the federal rules it cites.
"""

from __future__ import annotations

import datetime

import pytest

from denialkit.appeals import appeal_deadline

D = datetime.date


def test_medicare_redetermination_presumes_five_days_of_mail() -> None:
    """
    120 days from receipt, receipt presumed 5 days after the notice.
    """
    d = appeal_deadline("medicare_ab", "first", D(2026, 3, 2))

    assert d.date == D(2026, 3, 2) + datetime.timedelta(days=125)
    assert d.source == "42 CFR 405.942(a)"
    assert "presumed 5 days" in d.rule


def test_medicare_redetermination_from_a_known_receipt_date() -> None:
    """
    A known receipt date replaces the presumption.
    """
    d = appeal_deadline("medicare_ab", "first", D(2026, 3, 2), D(2026, 3, 20))

    assert d.date == D(2026, 7, 18)


def test_qic_reconsideration_is_180_days() -> None:
    """
    The QIC reconsideration window is 180 days from receipt.
    """
    d = appeal_deadline("medicare_ab", "second", D(2026, 1, 10))

    assert d.date == D(2026, 1, 15) + datetime.timedelta(days=180)
    assert d.source == "42 CFR 405.962"


def test_medicare_advantage_is_65_days_from_the_notice() -> None:
    """
    MA reconsideration: 65 days from the notice date, receipt ignored.
    """
    d = appeal_deadline(
        "medicare_advantage", "first", D(2026, 11, 2), D(2026, 11, 20)
    )

    assert d.date == D(2027, 1, 6)
    assert d.note is not None and "citation" in d.note


@pytest.mark.parametrize("payer", ["commercial", "erisa"])
def test_internal_appeal_is_at_least_180_days(payer: str) -> None:
    """
    ACA/ERISA internal appeals get at least 180 days.
    """
    d = appeal_deadline(payer, "first", D(2026, 2, 1))  # type: ignore[arg-type]

    assert d.date == D(2026, 7, 31)
    assert "at least 180 days" in d.rule


def test_external_review_is_four_months_with_month_end_and_weekend_rules() -> (
    None
):
    """
    Four months on; no matching day gives the first of the fifth month;
    a weekend moves to Monday.
    """
    assert appeal_deadline(
        "commercial", "external", D(2026, 10, 31)
    ).date == D(2027, 3, 1)
    # 2026-01-03 + 4 months = 2026-05-03, a Sunday -> Monday 2026-05-04.
    assert appeal_deadline("commercial", "external", D(2026, 1, 3)).date == D(
        2026, 5, 4
    )
    assert appeal_deadline("erisa", "external", D(2026, 6, 10)).date == D(
        2026, 10, 12
    )


def test_printed_deadline_wins() -> None:
    """
    A deadline printed on the denial overrides every rule.
    """
    d = appeal_deadline(
        "medicare_ab", "first", D(2026, 1, 1), printed_deadline=D(2026, 2, 1)
    )

    assert d.date == D(2026, 2, 1)
    assert d.source == "the denial notice"


def test_medicaid_has_no_invented_deadline() -> None:
    """
    Medicaid windows are state rules: no date, marked uncertain.
    """
    d = appeal_deadline("medicaid", "first", D(2026, 1, 1))

    assert d.date is None
    assert d.uncertain


def test_bad_arguments() -> None:
    """
    Unknown payer types and levels, and impossible levels, are refused.
    """
    with pytest.raises(ValueError, match="payer type"):
        appeal_deadline("acme", "first", D(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ALJ"):
        appeal_deadline("medicare_ab", "external", D(2026, 1, 1))


def test_days_left_and_is_past() -> None:
    """
    days_left counts to the deadline, negative once passed.
    """
    d = appeal_deadline("commercial", "first", D(2026, 1, 1))

    assert d.days_left(D(2026, 6, 29)) == 1
    assert d.is_past(D(2026, 7, 1))
