"""
Shared fixtures.  The reference data lives beside the repository in
``../shared/reference`` (read-only, in CI too).
"""

from __future__ import annotations

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"
X12 = REFERENCE / "x12"
SAMPLES = X12 / "samples"
EXAMPLES = ROOT / "examples"
FIRST_RELEASE = "2026.1"


@pytest.fixture(autouse=True)
def _clear_warm_cache() -> None:
    """
    Each test starts with an empty lookup cache (datasets stay loaded:
    they are immutable and loading them is what the cache is for).
    """
    import denialkit

    denialkit.lookup.cache_clear()  # type: ignore[attr-defined]


@pytest.fixture
def dataset():  # type: ignore[no-untyped-def]
    import denialkit

    return denialkit.load()
