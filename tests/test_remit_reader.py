"""
The reader: separators, real-file quirks, problems and strict mode.

Test data is invented (FAKE…, TESTPATIENT) unless it names a sample.
"""

from __future__ import annotations

import gc
import io
import logging
from decimal import Decimal

import pytest

from denialkit.exceptions import RemittanceError
from denialkit.remit import Problem, Remittance, read
from denialkit.remit._tokens import Tokenizer, byte_chunks

from .remit.independent import SAMPLES

ISA = (
    "ISA*00*          *00*          *ZZ*FAKEPAYER      *ZZ*FAKECLINIC     "
    "*240115*1200*^*00501*000000001*0*T*:~"
)
BODY = [
    "GS*HP*FAKEPAYER*FAKECLINIC*20240115*1200*1*X*005010X221A1",
    "ST*835*0001",
    "BPR*I*80*C*CHK************20240115",
    "TRN*1*FAKECHECK*1999999999",
    "N1*PR*FAKE PLAN",
    "N1*PE*FAKE CLINIC*XX*1999999999",
    "CLP*FAKEACCT1*1*100*80*20*12*FAKEICN1",
    "NM1*QC*1*TESTPATIENT*ALPHA****MI*FAKEMEMBER1",
    "SVC*HC:99213:25*100*80**1",
    "DTM*472*20240102",
    "CAS*PR*2*20",
    "SE*11*0001",
    "GE*1*1",
    "IEA*1*000000001",
]


def _text(terminator: str = "~", element: str = "*", lead: str = "") -> str:
    isa = ISA.replace("*", element)[:-1] + terminator
    body = [segment.replace("*", element) for segment in BODY]

    return lead + isa + "".join(f"{s}{terminator}" for s in body)


def _read(
    source: object, **options: object
) -> tuple[list[Remittance], list[Problem]]:
    reader = read(source, **options)  # type: ignore[arg-type]
    remittances = list(reader)

    return remittances, reader.problems


def _summary(
    remittances: list[Remittance],
) -> list[tuple[str, str, Decimal | None]]:
    return [
        (a.group, a.reason.code, a.amount)
        for r in remittances
        for _, _, a in r.adjustments()
    ]


def test_plain_file_reads_without_problems() -> None:
    """
    A well-formed file gives its remittance and no problem.
    """
    remittances, problems = _read(_text())

    assert _summary(remittances) == [("PR", "2", Decimal("20"))]
    assert problems == []


@pytest.mark.parametrize(
    "variant",
    [
        _text(lead="\ufeff"),
        _text().replace("~", "~\r\n"),
        _text().replace("~", "~\n"),
        _text().replace("~", "~\n    "),
        _text(terminator="\n"),
        _text(terminator="\n").replace("\n", "\r\n"),
        _text(element="|"),
        "\n\n" + _text().replace("~", "~\n\n"),
    ],
    ids=[
        "bom",
        "crlf",
        "lf-after-terminator",
        "indented",
        "newline-terminator",
        "newline-terminator-crlf",
        "pipe-elements",
        "blank-lines",
    ],
)
def test_real_file_layouts_read_cleanly(variant: str) -> None:
    """
    A BOM, CR LF, newlines after or as the terminator, indentation,
    blank lines and another element separator all read the same.
    """
    remittances, problems = _read(variant)

    assert _summary(remittances) == [("PR", "2", Decimal("20"))]
    assert problems == []


@pytest.mark.parametrize("kind", ["bytes", "text", "binary-file", "text-file"])
def test_every_kind_of_source_is_read(kind: str) -> None:
    """
    Bytes, text, and files opened in binary or text mode all read.
    """
    text = _text()
    source: object = {
        "bytes": text.encode(),
        "text": text,
        "binary-file": io.BytesIO(text.encode()),
        "text-file": io.StringIO(text),
    }[kind]

    remittances, _ = _read(source)

    assert len(remittances) == 1


def test_a_path_string_is_read_as_a_path() -> None:
    """
    A str that does not start with a segment is a path.
    """
    path = str(SAMPLES / "pyx12_835-mult-loops.835")

    remittances, _ = _read(path)

    assert remittances[0].source == path


def test_separators_come_from_each_isa() -> None:
    """
    Two interchanges with different separators in one file are each read
    with their own.
    """
    first = _text()
    second = _text(terminator="!", element="|").replace(
        "000000001", "000000002"
    )

    remittances, problems = _read(first + "\n" + second)

    assert [r.interchange for r in remittances] == [1, 2]
    assert _summary(remittances) == [("PR", "2", Decimal("20"))] * 2
    assert problems == []


def test_repetition_separator_of_4010_never_splits_codes() -> None:
    """
    ISA11 'U' in a 4010 file is not a separator: modifier UK stays whole.
    """
    [remittance] = read(SAMPLES / "oopfactory_4010-grip-elements.835")

    procedure = remittance.claims[7].lines[0].procedure

    assert procedure is not None
    assert procedure.modifiers == ("GT", "UK")


def test_large_4010_file_with_bom_crlf_and_indentation() -> None:
    """
    The 4010 file with a BOM, CRLF, indentation and 'U' in ISA11 reads
    with only the control-number problems it really has.
    """
    reader = read(SAMPLES / "oopfactory_4010-grip-elements.835")
    list(reader)

    codes = {problem.code for problem in reader.problems}

    assert codes <= {"payment-imbalance"}


def test_body_without_envelope_is_read_with_a_warning() -> None:
    """
    A file starting at ST is read with the usual separators and a warning.
    """
    remittances, problems = _read(SAMPLES / "edi-835-parser_bcbs-nc.835")

    assert len(remittances[0].claims) == 1
    assert problems[0].code == "no-envelope"
    assert problems[0].severity == "warning"


def test_component_separator_mismatch_is_reported_and_read() -> None:
    """
    SVC*HC>55669 under an ISA declaring ':' is split on '>' and reported.
    """
    remittances, problems = _read(
        SAMPLES / "lfh-x12_cob-contractual-adjustment.835"
    )

    procedure = remittances[0].claims[0].lines[0].procedure

    assert procedure is not None
    assert (procedure.qualifier, procedure.code) == ("HC", "55669")
    [mismatch] = [p for p in problems if p.code == "component-separator"]
    assert mismatch.position is not None
    assert (mismatch.position.segment_id, mismatch.position.element) == (
        "SVC",
        1,
    )


def test_isa_not_fixed_width_is_reported_and_read() -> None:
    """
    Nevada's collapsed ISA is read by counting separators, and reported,
    as is its mismatched IEA02.
    """
    remittances, problems = _read(
        SAMPLES / "edi-835-parser-fork_nevada-medicaid.835"
    )

    codes = [problem.code for problem in problems]

    assert len(remittances) == 3
    assert codes == ["isa-width", "control-mismatch"]
    assert problems[1].position is not None
    assert problems[1].position.segment_id == "IEA"


def test_mismatched_st_se_control_numbers_are_reported() -> None:
    """
    The large 4010 file's one ST02/SE02 mismatch and its IEA02 mismatch
    are reported with positions.
    """
    _, problems = _read(SAMPLES / "oopfactory_4010-deidentified-large.835")

    mismatches = [
        (p.position.segment_id, p.position.transaction)
        for p in problems
        if p.code == "control-mismatch" and p.position
    ]

    assert mismatches == [("SE", 6), ("IEA", None)]


def test_impossible_date_is_kept_raw_and_reported() -> None:
    """
    BPR16 '20002316' becomes None, keeps its text, and is one problem; the
    rest of the file is read.
    """
    remittances, problems = _read(SAMPLES / "lfh-x12_managed-care.835")

    [remittance] = remittances
    [problem] = problems

    assert remittance.payment is not None
    assert remittance.payment.date is None
    assert remittance.unreadable == (("payment date", "20002316"),)
    assert problem.code == "bad-value"
    assert problem.raw == "20002316"
    assert "20002316" not in str(problem)
    assert problem.position is not None
    assert (problem.position.segment_id, problem.position.element) == (
        "BPR",
        16,
    )
    assert str(remittance.notice_date) == "2002-03-14"
    assert len(remittance.claims) == 2


def test_bad_amount_is_kept_raw_on_its_claim() -> None:
    """
    An unreadable amount is None on the record, its text kept there.
    """
    text = _text().replace("CLP*FAKEACCT1*1*100*", "CLP*FAKEACCT1*1*1O0*")

    remittances, problems = _read(text)

    claim = remittances[0].claims[0]

    assert claim.charge is None
    assert claim.unreadable == (("claim charge", "1O0"),)
    assert [p.code for p in problems] == ["bad-value"]


def test_problem_positions_name_transaction_segment_and_element() -> None:
    """
    A problem says interchange, transaction, segment number and element.
    """
    text = _text().replace("CAS*PR*2*20", "CAS*ZZ*2*20")

    _, problems = _read(text)

    [problem] = [p for p in problems if p.code == "bad-group"]

    assert problem.position is not None
    assert str(problem.position) == (
        "interchange 1, transaction 1, segment 12 (CAS01)"
    )


def test_strict_mode_raises_one_error_listing_every_problem() -> None:
    """
    Strict mode raises RemittanceError with all problems, after reading.
    """
    reader = read(SAMPLES / "edi-835-parser_bcbs-nc.835", strict=True)

    with pytest.raises(RemittanceError) as caught:
        list(reader)

    assert len(caught.value.problems) == len(reader.problems) == 4
    assert "4 problem(s)" in str(caught.value)


def test_strict_mode_is_quiet_on_a_clean_file() -> None:
    """
    A clean file reads in strict mode without an error.
    """
    remittances = list(
        read(SAMPLES / "synthetic_denial-edge-cases.835", strict=True)
    )

    assert len(remittances) == 1


def test_a_problem_never_stops_the_reading() -> None:
    """
    Segments out of place, unknown segments and a missing SE are reported
    and everything else is still read.
    """
    text = _text().replace(
        "SE*11*0001~",
        "ZZZ*1~LQ*XX~SE*13*0001~ST*835*0002~CLP*FAKEACCT2*4*10*0~"
        "CAS*CO*50*10~",
    )

    remittances, problems = _read(text)

    assert [len(r.claims) for r in remittances] == [1, 1]
    assert {p.code for p in problems} >= {
        "unexpected-segment",
        "missing-se",
    }


def test_not_an_835_is_one_problem_and_nothing_read() -> None:
    """
    Text with no ISA or ST gives no remittance and one error.
    """
    remittances, problems = _read(b"hello, this is not X12 at all\n")

    assert remittances == []
    assert [p.code for p in problems] == ["not-x12"]


def test_problems_and_reprs_never_show_patient_data() -> None:
    """
    Reprs mask patient names, IDs and claim numbers; problem messages do
    not echo values.
    """
    text = _text().replace("CLP*FAKEACCT1*1*100*", "CLP*FAKEACCT1*1*1O0*")
    remittances, problems = _read(text)

    shown = repr(remittances) + "".join(str(p) for p in problems)

    for secret in (
        "FAKEACCT1",
        "TESTPATIENT",
        "FAKEMEMBER1",
        "FAKEICN1",
        "1O0",
    ):
        assert secret not in shown


def test_reader_logs_no_patient_data(caplog: pytest.LogCaptureFixture) -> None:
    """
    Debug logs name the source and counts only.
    """
    with caplog.at_level(logging.DEBUG, logger="denialkit.remit"):
        list(read(_text()))

    assert "TESTPATIENT" not in caplog.text
    assert "FAKEACCT1" not in caplog.text


def test_a_reader_reads_once() -> None:
    """
    Iterating a reader twice is a clear error.
    """
    reader = read(_text())
    list(reader)

    with pytest.raises(RuntimeError, match="read once"):
        list(reader)


def test_the_caller_runs_with_the_garbage_collector_on() -> None:
    """
    The collector, paused while a transaction is read, is running
    whenever the caller's code runs: between remittances, after an early
    break and after the reading.
    """
    text = _text() + _text().replace("000000001", "000000002")
    seen = [gc.isenabled() for _ in read(text)]
    for _ in read(text):
        break
    after_break = gc.isenabled()

    assert seen == [True, True]
    assert after_break
    assert gc.isenabled()


def test_a_collector_the_caller_paused_stays_paused() -> None:
    """
    Reading never turns on a collector the caller turned off.
    """
    gc.disable()
    try:
        remittances, _ = _read(_text())
        still_off = not gc.isenabled()
    finally:
        gc.enable()

    assert len(remittances) == 1
    assert still_off


@pytest.mark.parametrize(
    "name",
    [
        "oopfactory_4010-grip-elements.835",
        "derived_uhc-legacy_newline-terminated.835",
        "edi-835-parser-fork_nevada-medicaid.835",
    ],
)
def test_chunk_boundaries_do_not_matter(name: str) -> None:
    """
    The tokenizer gives the same segments whatever the chunk size.
    """
    data = (SAMPLES / name).read_bytes()

    whole = _segments(data, 1 << 16)

    for size in (1, 2, 7, 105, 106, 107, 4096):
        assert _segments(data, size) == whole


def test_empty_segments_are_skipped_at_any_chunk_boundary() -> None:
    """
    A doubled terminator gives no empty segment, even when a chunk ends
    right between the two terminators.
    """
    body = BODY[:4] + ["N3*1 FAKE ROAD"] * 40 + BODY[4:]
    data = (ISA + "~".join(body).replace("N1*PR", "~N1*PR") + "~").encode()
    whole = _segments(data, 1 << 16)

    assert "" not in whole
    for size in range(1, len(data), 7):
        assert _segments(data, size) == whole


def _segments(data: bytes, size: int) -> list[str]:
    chunks = byte_chunks(io.BytesIO(data), [], size)

    return [segment for batch in Tokenizer(chunks) for segment in batch]


def test_an_empty_file_is_reported() -> None:
    """
    An empty file is an error, not a clean read of nothing.
    """
    from denialkit.remit import read

    reader = read(b"\r\n  \n")
    remittances = list(reader)

    assert remittances == []
    assert [p.code for p in reader.problems] == ["empty"]


@pytest.mark.parametrize(
    ("source", "code"),
    [(b"\r\n  \n", "empty"), (b"hello, this is not X12 at all\n", "not-x12")],
)
def test_problems_about_the_whole_text_print_no_empty_brackets(
    source: bytes, code: str
) -> None:
    """
    A problem with no segment id reads "segment 1: …", never "segment 1
    (): …".
    """
    _, problems = _read(source)

    [problem] = problems

    assert problem.code == code
    assert str(problem).startswith("segment 1: ")
    assert "()" not in str(problem)
