"""
Tests for denialkit._dataset against the real X12 lists.
"""

from __future__ import annotations

import csv
import datetime

import pytest

import denialkit
from denialkit import (
    AmbiguousCodeError,
    CodeSyntaxError,
    UnknownCodeError,
    UnknownReleaseError,
)

from .conftest import FIRST_RELEASE, X12


def _rows(name: str) -> list[dict[str, str]]:
    with (X12 / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.parametrize("release", denialkit.releases())
def test_every_release_has_every_listed_code(release: str) -> None:
    """
    Each release holds all 407 CARCs, 1216 RARCs and 5 group codes of the
    reference lists, with the lists' status and dates.
    """
    dataset = denialkit.load(release)

    for name, code_set, count in (
        ("carc.csv", "carc", 407),
        ("rarc.csv", "rarc", 1216),
        ("group_codes.csv", "group", 5),
    ):
        rows = _rows(name)
        assert len(rows) == count
        assert len(dataset.codes(code_set)) == count
        for row in rows:
            record = dataset.get(code_set, row["code"])
            status = (
                "deactivated" if row["status"] == "retired" else row["status"]
            )
            assert record.status == status
            if code_set != "group":
                assert _iso(record.start) == row["start_date"]
                assert _iso(record.stop) == row["stop_date"]
                assert _iso(record.last_modified) == row["last_modified"]


def _iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def test_named_codes_have_their_real_values() -> None:
    """
    Spot values from the lists: CARC 42 stopped 2007-06-01 for 45, CARC
    197 started 2006-10-31, N386 started 2007-04-01, CR is retired.
    """
    dataset = denialkit.load(FIRST_RELEASE)

    carc42 = dataset.get("carc", "42")
    assert (carc42.status, carc42.stop, carc42.replaced_by) == (
        "deactivated",
        datetime.date(2007, 6, 1),
        ("45",),
    )
    assert dataset.get("carc", "197").start == datetime.date(2006, 10, 31)
    assert dataset.get("rarc", "N386").start == datetime.date(2007, 4, 1)
    assert dataset.get("group", "CR").status == "deactivated"
    assert dataset.get("carc", "B2").stop == datetime.date(2003, 10, 16)
    counts = {"current": 0, "deactivated": 0}
    for record in dataset.codes("carc"):
        counts[record.status] += 1
    assert counts == {"current": 297, "deactivated": 110}


def test_lookup_says_which_release_answered() -> None:
    """
    A lookup result names its release and keeps the group prefix.
    """
    result = denialkit.lookup("co-50 ", release=FIRST_RELEASE)

    assert result.release == FIRST_RELEASE
    assert (result.code_set, result.code, result.ref.group) == (
        "carc",
        "50",
        "CO",
    )
    assert result.group is not None and result.group.code == "CO"
    assert result.title == "Not medically necessary" or result.title


def test_newest_release_is_the_default() -> None:
    """
    load() and lookup() use the newest release unless told otherwise.
    """
    assert denialkit.load().release == denialkit.releases()[-1]
    assert denialkit.lookup("N386").release == denialkit.releases()[-1]


def test_bare_code_in_two_sets_is_ambiguous() -> None:
    """
    B2 and B15 exist as CARCs and specialty codes: the error names both.
    """
    for code in ("B2", "B15"):
        with pytest.raises(AmbiguousCodeError) as info:
            denialkit.lookup(code)
        assert set(info.value.candidates) == {
            f"carc:{code}",
            f"specialty:{code}",
        }
        assert isinstance(info.value, LookupError)

    assert denialkit.lookup("carc:B2").code_set == "carc"
    assert denialkit.lookup("specialty:B2").code_set == "specialty"


def test_unknown_code_error_names_code_release_and_suggestions() -> None:
    """
    An unknown code raises a LookupError naming the code and the release,
    with close codes suggested.
    """
    with pytest.raises(UnknownCodeError) as info:
        denialkit.lookup("N3866", release=FIRST_RELEASE)

    message = str(info.value)
    assert "N3866" in message
    assert FIRST_RELEASE in message
    assert "N386" in info.value.suggestions
    assert isinstance(info.value, LookupError)


def test_malformed_code_is_a_syntax_error() -> None:
    """
    A malformed code raises CodeSyntaxError, a ValueError.
    """
    with pytest.raises(CodeSyntaxError):
        denialkit.lookup("CO--50!")


def test_unknown_release() -> None:
    """
    Asking for a release that is not shipped names the ones that are.
    """
    with pytest.raises(UnknownReleaseError) as info:
        denialkit.load("1999.1")

    assert FIRST_RELEASE in str(info.value)


def test_as_of_answers_validity_of_carc_42() -> None:
    """
    CARC 42 was valid in 2006 and deactivated (for 45) by 2020.
    """
    then = denialkit.lookup("42", as_of=datetime.date(2006, 1, 1))
    later = denialkit.lookup("42", as_of=datetime.date(2020, 1, 1))

    assert then.validity is not None and then.validity.is_valid is True
    assert later.validity is not None and later.validity.state == "deactivated"
    assert "2007-06-01" in later.validity.reason
    assert "45" in later.validity.reason


def test_as_of_is_unknown_without_a_start_date() -> None:
    """
    CARC 308 has no start date in the lists: a 2020 date is unknown, a
    date after the list was captured is valid.
    """
    dataset = denialkit.load()

    assert (
        dataset.lookup(
            "308", as_of=datetime.date(2020, 1, 1)
        ).validity.is_valid
        is None
    )  # type: ignore[union-attr]
    assert (
        dataset.lookup(
            "308", as_of=datetime.date(2026, 9, 1)
        ).validity.is_valid
        is True
    )  # type: ignore[union-attr]


def test_records_are_reused() -> None:
    """
    Looking a code up twice returns the same record object.
    """
    dataset = denialkit.load()

    assert dataset.get("carc", "50") is dataset.lookup("CO-50").record


def test_filter_by_category_and_set() -> None:
    """
    filter() keeps the records matching every condition.
    """
    dataset = denialkit.load()
    found = dataset.filter(code_set="carc", category="timely_filing")

    assert any(r.code == "29" for r in found)
    assert all(r.code_set == "carc" for r in found)


def test_search_puts_carc_29_first_for_timely_filing() -> None:
    """
    A search for "timely filing" ranks CARC 29 first.
    """
    hits = denialkit.load().search("timely filing")

    assert (hits[0].record.code_set, hits[0].record.code) == ("carc", "29")


def test_search_finds_prior_authorization() -> None:
    """
    "prior authorization" finds CARC 197 among the first results.
    """
    hits = denialkit.load().search("prior authorization", limit=5)

    assert "carc:197" in [h.record.key for h in hits]
