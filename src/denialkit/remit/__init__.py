"""
Read X12 835 remittances and find every denial in them.

The 835 (Health Care Claim Payment/Advice) is the electronic remittance a
payer sends with or instead of a check.  :func:`read` turns a file into
one :class:`Remittance` per transaction, with every claim, service line
and adjustment (all six triplets of every ``CAS``, at claim and line
level) and provider-level adjustments; amounts are ``Decimal``.
Problems, from odd separators to claims that do not balance, are
reported with their position and never stop the reading.
:func:`denials` then yields each adjustment that denied or reduced
payment, explained from the dataset::

    >>> from denialkit.remit import read, denials
    >>> text = (
    ...     "ST*835*0001~BPR*I*0*C*NON************20240110~"
    ...     "N1*PR*FAKE PLAN~N1*PE*FAKE CLINIC~"
    ...     "CLP*FAKEACCT*4*120*0**CI*FAKEICN~CAS*CO*29*120~SE*7*0001~"
    ... )
    >>> [remittance] = read(text)
    >>> [(d.where, d.group, d.reason.code.code, d.reason.status)
    ...  for d in denials(remittance)]
    [('claim 1', 'CO', '29', 'known')]

Known limits: the reader checks the structure it needs (envelope,
transaction, claim and line loops, counts and control numbers), not
every rule of the X12 implementation guide; segments it does not model
(addresses, contacts, provider summaries ``TS2``/``TS3``) are skipped.

The 835 is specified by X12 in the ASC X12N/005010X221A1 implementation
guide (https://x12.org/products/transaction-sets).
"""

from ._denials import CodeCheck, CodeStatus, Denial, check_code, denials
from ._imaging import ImagingRange, Modality, advanced_imaging, imaging_ranges
from ._model import (
    CLAIM_STATUSES,
    FILING_INDICATORS,
    Adjustment,
    Claim,
    ClaimStatus,
    Party,
    Patient,
    Payment,
    Position,
    Problem,
    Procedure,
    ProviderAdjustment,
    Remittance,
    Reversal,
    ServiceLine,
    Severity,
    Trace,
)
from ._reader import RemittanceReader, read

__all__ = [
    "CLAIM_STATUSES",
    "FILING_INDICATORS",
    "Adjustment",
    "Claim",
    "ClaimStatus",
    "CodeCheck",
    "CodeStatus",
    "Denial",
    "ImagingRange",
    "Modality",
    "Party",
    "Patient",
    "Payment",
    "Position",
    "Problem",
    "Procedure",
    "ProviderAdjustment",
    "Remittance",
    "RemittanceReader",
    "Reversal",
    "ServiceLine",
    "Severity",
    "Trace",
    "advanced_imaging",
    "check_code",
    "denials",
    "imaging_ranges",
    "read",
]
