"""
Appeal deadlines by payer type and level, each with its rule and source.

The rules are the federal floors gathered in denialkit's facts file
(``facts-2026.md``, sections 4 to 6).  Plans and states may allow longer,
and a deadline printed on the denial always wins: pass it as
``printed_deadline``.  Known gaps: Medicaid windows are set by each state
and are not encoded (the result says so and gives no date), and holidays
are not moved for the external-review rule, only weekends.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Final, Literal, get_args

import attrs

PayerType = Literal[
    "medicare_ab",
    "medicare_advantage",
    "medicaid",
    "commercial",
    "erisa",
    "other",
]
"""
Who decided the claim, which sets the appeal rules.

``"medicare_ab"`` (Original Medicare, Parts A and B),
``"medicare_advantage"``, ``"medicaid"``, ``"commercial"`` (a commercial
or ACA plan), ``"erisa"`` (a self-funded employer plan) or ``"other"``.
A claim file gives it as ``payer.payer_type``.

>>> import datetime
>>> from denialkit.appeals import appeal_deadline
>>> deadline = appeal_deadline("erisa", "first", datetime.date(2026, 3, 2))
>>> deadline.date
datetime.date(2026, 8, 29)

Added in 0.1.0.
"""

AppealLevel = Literal["first", "second", "external"]
"""
The level of appeal: ``"first"``, ``"second"`` or ``"external"``.

The first level is a Medicare redetermination, a Medicare Advantage
reconsideration or a plan's internal appeal; the second is a Medicare QIC
reconsideration or a plan's second internal level; external is an
independent external review.

>>> import datetime
>>> from denialkit.appeals import appeal_deadline
>>> appeal_deadline("medicare_ab", "second", datetime.date(2026, 3, 2)).source
'42 CFR 405.962'

Added in 0.1.0.
"""

PAYER_TYPES: Final[tuple[PayerType, ...]] = get_args(PayerType)
"""
Every :data:`PayerType`, in a fixed order.

>>> from denialkit.appeals import PAYER_TYPES
>>> "medicaid" in PAYER_TYPES, len(PAYER_TYPES)
(True, 6)

Added in 0.1.0.
"""

APPEAL_LEVELS: Final[tuple[AppealLevel, ...]] = get_args(AppealLevel)
"""
Every :data:`AppealLevel`, lowest first.

>>> from denialkit.appeals import APPEAL_LEVELS
>>> APPEAL_LEVELS
('first', 'second', 'external')

Added in 0.1.0.
"""

MAIL_DAYS: Final = 5


@attrs.frozen(kw_only=True)
class Deadline:
    """
    The last day to file an appeal, the rule behind it and its source.

    :func:`appeal_deadline` returns it.  A deadline printed on the denial
    always wins over the federal rules used here.

    Attributes:
        date: The last day to file, or ``None`` when no federal rule gives
            one (then ``rule`` says where to look).
        rule: How the date was counted, in a sentence or two.
        source: The regulation or guidance the rule comes from.
        uncertain: ``True`` where sources disagree or no rule applies.
        note: A caveat, such as what the count does not cover.

    >>> import datetime
    >>> deadline = appeal_deadline("commercial", "first",
    ...                            datetime.date(2026, 3, 2))
    >>> deadline.date, deadline.source
    (datetime.date(2026, 8, 29), '29 CFR 2560.503-1(h)(3)(i); 45 CFR 147.136')

    Added in 0.1.0.
    """

    date: datetime.date | None
    rule: str
    source: str
    uncertain: bool = False
    note: str | None = None

    def days_left(self, today: datetime.date) -> int | None:
        """
        Count the days from *today* to the deadline.

        Args:
            today: The day to count from.

        Returns:
            The days left, ``0`` on the last day and negative once the
                deadline has passed; ``None`` when there is no date.

        >>> import datetime
        >>> deadline = Deadline(date=datetime.date(2026, 8, 29),
        ...                     rule="An invented rule.", source="none")
        >>> deadline.days_left(datetime.date(2026, 8, 1))
        28
        """
        if self.date is None:
            return None

        return (self.date - today).days

    def is_past(self, today: datetime.date) -> bool:
        """
        Tell whether *today* is after the deadline.

        Args:
            today: The day to check, such as the filing date.

        Returns:
            ``True`` once the last day to file has passed; ``False`` on
                the last day itself, before it, and when there is no date.

        >>> import datetime
        >>> deadline = Deadline(date=datetime.date(2026, 8, 29),
        ...                     rule="An invented rule.", source="none")
        >>> deadline.is_past(datetime.date(2026, 8, 29))
        False
        >>> deadline.is_past(datetime.date(2026, 8, 30))
        True
        """
        return self.date is not None and today > self.date


def appeal_deadline(
    payer_type: PayerType,
    level: AppealLevel,
    notice_date: datetime.date,
    received_date: datetime.date | None = None,
    *,
    printed_deadline: datetime.date | None = None,
) -> Deadline:
    """
    Work out the filing deadline for an appeal.

    Args:
        payer_type: Who decided the claim.
        level: ``"first"`` (redetermination, MA reconsideration or internal
            appeal), ``"second"`` (Medicare QIC reconsideration) or
            ``"external"`` (independent external review).
        notice_date: The date on the denial notice or remittance.
        received_date: When the notice arrived, if known.  Without it,
            Medicare counts from a presumed receipt 5 days after the notice
            date and other payers from the notice date itself.
        printed_deadline: A deadline printed on the denial; it wins.

    Returns:
        The deadline with its rule and source; its ``date`` is ``None``
            where no federal rule gives one (Medicaid, other payers).

    Raises:
        ValueError: an unknown payer type or level, a level that does not
            exist for the payer type, or a received date before the notice
            date.

    >>> import datetime
    >>> d = appeal_deadline("medicare_ab", "first", datetime.date(2026, 3, 2))
    >>> d.date, d.source
    (datetime.date(2026, 7, 5), '42 CFR 405.942(a)')

    Added in 0.1.0.
    """
    if payer_type not in PAYER_TYPES:
        raise ValueError(
            f"payer type {payer_type!r} is not one of {', '.join(PAYER_TYPES)}"
        )
    if level not in APPEAL_LEVELS:
        raise ValueError(
            f"appeal level {level!r} is not one of {', '.join(APPEAL_LEVELS)}"
        )
    if received_date is not None and received_date < notice_date:
        raise ValueError(
            "the notice cannot be received before its own date; check the"
            " received date"
        )
    if printed_deadline is not None:
        return Deadline(
            date=printed_deadline,
            rule="The deadline printed on the denial notice.",
            source="the denial notice",
        )

    return _RULES[payer_type](level, notice_date, received_date)


def _received(
    notice: datetime.date, received: datetime.date | None
) -> tuple[datetime.date, str]:
    if received is not None:
        return received, "from the day the notice was received"
    presumed = notice + datetime.timedelta(days=MAIL_DAYS)

    return presumed, "from receipt, presumed 5 days after the notice date"


def _medicare_ab(
    level: AppealLevel,
    notice: datetime.date,
    received: datetime.date | None,
) -> Deadline:
    start, how = _received(notice, received)
    if level == "first":
        return Deadline(
            date=start + datetime.timedelta(days=120),
            rule=f"Medicare redetermination: 120 days {how}. The request"
            " counts as filed when the contractor receives it.",
            source="42 CFR 405.942(a)",
        )
    if level == "second":
        return Deadline(
            date=start + datetime.timedelta(days=180),
            rule=f"Medicare QIC reconsideration: 180 days {how} (of the"
            " redetermination notice).",
            source="42 CFR 405.962",
        )

    raise ValueError(
        "Original Medicare has no external review; after the QIC the next"
        " level is an ALJ hearing (60 days from the QIC decision)."
    )


def _medicare_advantage(
    level: AppealLevel,
    notice: datetime.date,
    received: datetime.date | None,
) -> Deadline:
    if level == "first":
        ignored = (
            " The receipt date given was not used: CMS counts 65 days from"
            " the notice date."
            if received
            else ""
        )
        return Deadline(
            date=notice + datetime.timedelta(days=65),
            rule="Medicare Advantage reconsideration: 65 days from the date"
            " on the organization-determination notice (60 days from"
            " receipt plus 5 presumed mailing days), counted this way"
            " since 2025-01-01.",
            source="42 CFR 422.582(b); CMS managed care appeals guidance,"
            " 2024-11-20",
            note="The 65-day count is settled in CMS guidance; only the"
            " Federal Register citation for the rewritten 422.582(b) was"
            " not found." + ignored,
        )

    return Deadline(
        date=None,
        rule="An adverse Medicare Advantage reconsideration goes to the"
        " Part C Independent Review Entity automatically; nothing to file.",
        source="CMS, review by the Part C Independent Review Entity",
    )


def _commercial(
    level: AppealLevel,
    notice: datetime.date,
    received: datetime.date | None,
) -> Deadline:
    start = received or notice
    counted = (
        "from the day the notice was received"
        if received
        else "from the notice date (no receipt date was given)"
    )
    if level == "external":
        return Deadline(
            date=_external_review(start),
            rule="Federal external review: 4 months after receiving the"
            f" final internal adverse determination, counted {counted};"
            " a deadline on a weekend moves to the Monday.",
            source="45 CFR 147.136(d)(2)(i)",
            note="Holidays are not moved; state external review processes"
            " may differ for fully insured plans.",
        )
    if level == "second":
        return Deadline(
            date=None,
            rule="A second internal level is set by the plan; use the"
            " deadline in the first-level decision.",
            source="29 CFR 2560.503-1(c)(2)",
        )

    return Deadline(
        date=start + datetime.timedelta(days=180),
        rule="Internal appeal: at least 180 days after the adverse benefit"
        f" determination, counted {counted} (the plan may allow longer).",
        source="29 CFR 2560.503-1(h)(3)(i); 45 CFR 147.136",
    )


def _external_review(start: datetime.date) -> datetime.date:
    month = start.month + 4
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    if start.day > calendar.monthrange(year, month)[1]:
        # No matching day four months on: the first day of the fifth month.
        month = month % 12 + 1
        year += month == 1
        day = datetime.date(year, month, 1)
    else:
        day = datetime.date(year, month, start.day)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)

    return day


def _no_federal_rule(
    level: AppealLevel,
    notice: datetime.date,
    received: datetime.date | None,
) -> Deadline:
    return Deadline(
        date=None,
        rule="No federal deadline applies: Medicaid and other payers set"
        " their own windows. Use the deadline on the denial notice.",
        source="the denial notice",
        uncertain=True,
    )


_RULES = {
    "medicare_ab": _medicare_ab,
    "medicare_advantage": _medicare_advantage,
    "commercial": _commercial,
    "erisa": _commercial,
    "medicaid": _no_federal_rule,
    "other": _no_federal_rule,
}
