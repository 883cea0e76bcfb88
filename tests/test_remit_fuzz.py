"""
Fuzzing the reader: random text and mutated samples give remittances and
problems, never an exception or a hang.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from denialkit.remit import denials, read

from .remit.independent import SAMPLES, count

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import gen_835  # type: ignore[import-not-found]

SAMPLE_BYTES = {path.name: path.read_bytes() for path in SAMPLES.glob("*.835")}
SMALL = sorted(name for name, data in SAMPLE_BYTES.items() if len(data) < 5000)
ALPHABET = "ISTECLPVABGNMQRDZ*:~|^>\n\r \t0123456789.-\ufeff\x00"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _read_all(data: bytes | str) -> None:
    reader = read(data)
    for remittance in reader:
        list(denials(remittance))
        assert remittance.reversals is not None
    for problem in reader.problems:
        assert problem.severity in ("error", "warning")
        str(problem)


@FUZZ
@given(st.text(alphabet=ALPHABET, max_size=1500))
def test_random_text_never_crashes(text: str) -> None:
    """
    Any text over the X12 characters reads to problems, not exceptions.
    """
    _read_all("ST*835*1~" + text)
    _read_all(text.encode("utf-8"))


@FUZZ
@given(st.binary(max_size=1500))
def test_random_bytes_never_crash(data: bytes) -> None:
    """
    Arbitrary bytes, invalid UTF-8 included, never raise.
    """
    _read_all(b"ISA*00*" + data)
    _read_all(data)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(SAMPLE_BYTES[draw(st.sampled_from(SMALL))])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "copy"]))
        size = draw(st.integers(1, 40))
        if kind == "delete":
            del data[at : at + size]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=size))
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.sampled_from(list(b"*:~|^>\n0A-.")))
        else:
            data[at:at] = data[at : at + size]

    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_samples_never_crash(data: bytes) -> None:
    """
    Samples with bytes deleted, inserted, replaced or repeated read to
    problems, not exceptions.
    """
    _read_all(data)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 60), st.integers(1, 25))
def test_generated_files_read_completely_and_cleanly(
    seed: int, claims: int, per_transaction: int
) -> None:
    """
    Files from benchmarks/gen_835.py read with every claim and adjustment
    a second reading finds, and with no problem: they balance.
    """
    out = io.StringIO()
    gen_835.write(
        out, claims=claims, per_transaction=per_transaction, seed=seed
    )
    text = out.getvalue()
    path = Path(_write(text))

    reader = read(path)
    remittances = list(reader)
    expected = count(path)

    assert reader.problems == []
    assert len(remittances) == expected.transactions
    assert sum(len(r.claims) for r in remittances) == claims
    adjustments = [a for r in remittances for _, _, a in r.adjustments()]
    assert len(adjustments) == (
        expected.claim_adjustments + expected.line_adjustments
    )


def _write(text: str) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile(
        "w", suffix=".835", delete=False, encoding="utf-8"
    ) as stream:
        stream.write(text)

    return stream.name
