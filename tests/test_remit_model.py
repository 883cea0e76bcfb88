"""
The remittance records, and the fast constructor the reader makes them
with.

Test data is invented (FAKE…, TESTPATIENT).
"""

from __future__ import annotations

import datetime
import pickle
from decimal import Decimal
from typing import Any

import attrs
import pytest

from denialkit import CodeRef
from denialkit.remit import (
    Adjustment,
    Claim,
    ClaimStatus,
    Patient,
    Procedure,
    ServiceLine,
)
from denialkit.remit._model import builder

ADJUSTMENT = {
    "group": "CO",
    "reason": CodeRef("carc", "45", "CO"),
    "amount": Decimal("12.50"),
    "quantity": Decimal("1"),
    "segment": 17,
    "triplet": 2,
}
LINE = {
    "number": 1,
    "procedure": Procedure(qualifier="HC", code="99213"),
    "charge": Decimal("100"),
    "paid": Decimal("87.50"),
    "revenue_code": None,
    "units": Decimal("1"),
    "submitted_procedure": None,
    "submitted_units": None,
    "service_from": datetime.date(2024, 1, 2),
    "service_to": datetime.date(2024, 1, 2),
    "control_number": "FAKELINE1",
    "allowed": Decimal("87.50"),
    "adjustments": (Adjustment(**ADJUSTMENT),),
    "remarks": (CodeRef("rarc", "N130"),),
    "other_remarks": (),
    "segment": 15,
    "unreadable": (),
}
PATIENT = {
    "last_name": "TESTPATIENT",
    "first_name": "ALPHA",
    "middle_name": None,
    "id_qualifier": "MI",
    "id": "FAKEMEMBER1",
}
CLAIM = {
    "number": 1,
    "patient_control_number": "FAKEACCT1",
    "status": ClaimStatus.of("1"),
    "charge": Decimal("100"),
    "paid": Decimal("87.50"),
    "patient_responsibility": Decimal("0"),
    "filing_indicator": "CI",
    "payer_claim_control_number": "FAKEICN1",
    "facility_type": "11",
    "frequency": "1",
    "adjustments": (),
    "remarks": (),
    "patient": Patient(**PATIENT),
    "statement_from": None,
    "statement_to": None,
    "received": None,
    "lines": (ServiceLine(**LINE),),
    "segment": 12,
    "unreadable": (),
}
RECORDS = [
    (Adjustment, ADJUSTMENT),
    (ServiceLine, LINE),
    (Patient, PATIENT),
    (Claim, CLAIM),
]


@pytest.mark.parametrize(("cls", "values"), RECORDS)
def test_fast_constructor_makes_the_same_frozen_record(
    cls: type[Any], values: dict[str, Any]
) -> None:
    """
    A record from builder() is of its class, equal, hashed and printed
    like one from the class itself, frozen, and survives pickling and
    attrs.evolve().
    """
    made = builder(cls)(*values.values())
    expected = cls(**values)

    assert type(made) is cls
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.segment = 0
    assert pickle.loads(pickle.dumps(made)) == expected
    assert attrs.evolve(made) == expected


def test_fast_constructor_needs_every_field_in_the_slots_base() -> None:
    """
    builder() refuses a record whose slots base misses a field, rather
    than make records with a field unset.
    """

    class _FakeSlots:
        __slots__ = ("__weakref__", "code")

    @attrs.frozen(kw_only=True)
    class FakeRecord(_FakeSlots):
        code: str
        extra: int

    with pytest.raises(TypeError, match="must list every field"):
        builder(FakeRecord)
