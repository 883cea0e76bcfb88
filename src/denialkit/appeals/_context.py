"""
The typed facts a letter is filled from: practice, payer, patient, claim,
denial, clinical facts and attachments.

Load them from a YAML or JSON claim file with :func:`load_context`, or
build them in code.  A bad file raises :class:`DataFileError` naming the
field path (``claim.service_lines[1].cpt``) and what is expected, never
the value.  Patient fields are masked in ``repr``.
"""

from __future__ import annotations

import datetime
import decimal
import os
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, TypeVar, cast

import attrs

from .._codes import CodeRef
from ..exceptions import DataFileError, DenialKitError
from ._clock import PAYER_TYPES, PayerType

T = TypeVar("T")

_CPT = re.compile(r"[0-9]{4}[0-9A-Z]|[A-V][0-9]{4}")
_ICD10 = re.compile(r"[A-TV-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_MONEY = re.compile(r"\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?")
_UNITS = re.compile(r"\d{1,6}(?:\.\d{1,3})?")


def is_valid_npi(npi: str) -> bool:
    """
    Check an NPI's form and its Luhn check digit (with the 80840 prefix).

    An NPI (National Provider Identifier) is ten digits, the last a check
    digit.  Only the form is checked: a valid NPI need not be assigned to
    anyone.

    Args:
        npi: The NPI as text, without spaces.

    Returns:
        ``True`` when *npi* is ten digits with a correct check digit.

    >>> is_valid_npi("1234567893")
    True
    >>> is_valid_npi("1234567890")
    False

    Added in 0.1.0.
    """
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(d) for d in "80840" + npi]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit

    return total % 10 == 0


def _masked(value: object) -> str:
    return "'***'" if value else repr(value)


@attrs.frozen(kw_only=True)
class Practice:
    """
    The practice or facility sending the letter.

    Attributes:
        name: The practice's name, as on the letterhead.
        address_lines: The postal address, one line each.
        phone: A phone number for the payer to call back.
        fax: A fax number.
        npi: The practice's (group) NPI; checked when read from a file.
        tax_id: The tax id; left out of ``repr``.
        contact_name: Who the payer should contact about the appeal.
        contact_title: That person's role.

    >>> Practice(name="Example Clinic (TEST)", npi="1234567893").npi
    '1234567893'

    Added in 0.1.0.
    """

    name: str
    address_lines: tuple[str, ...] = ()
    phone: str | None = None
    fax: str | None = None
    npi: str | None = None
    tax_id: str | None = attrs.field(default=None, repr=False)
    contact_name: str | None = None
    contact_title: str | None = None


@attrs.frozen(kw_only=True)
class Provider:
    """
    The rendering or ordering clinician.

    Attributes:
        name: The clinician's name.
        npi: The clinician's NPI; :func:`load_context` and
            :func:`context_from_data` check its check digit, building one
            in code does not (use :func:`is_valid_npi`).
        credentials: Such as ``"MD"``.
        specialty: Such as ``"Diagnostic radiology"``.

    >>> provider = Provider(name="Jordan Sample", npi="1234567893")
    >>> provider.name, is_valid_npi(provider.npi)
    ('Jordan Sample', True)

    Added in 0.1.0.
    """

    name: str
    npi: str
    credentials: str | None = None
    specialty: str | None = None


@attrs.frozen(kw_only=True)
class Payer:
    """
    The payer that denied the claim, and where appeals go.

    Attributes:
        name: The payer's name.
        payer_type: Who the payer is; it sets the appeal deadline and
            the wording of the request.
        appeals_address_lines: Where appeals are sent, one line each.
        plan_name: The patient's plan, if it differs from the payer.
        benefit_manager: A radiology or other benefit manager that
            reviewed the service on the payer's behalf, if any.

    >>> Payer(name="Demo Health Plan", payer_type="commercial").payer_type
    'commercial'

    Added in 0.1.0.
    """

    name: str
    payer_type: PayerType
    appeals_address_lines: tuple[str, ...] = ()
    plan_name: str | None = None
    benefit_manager: str | None = None


@attrs.frozen(kw_only=True)
class Patient:
    """
    The patient; every field is masked in ``repr`` and never logged.

    Attributes:
        name: The patient's name.
        member_id: The member (or Medicare) number on the patient's card.
        date_of_birth: The date of birth, if known.
        group_number: The plan's group number, if any.
        address_lines: The patient's address, one line each.

    >>> patient = Patient(name="Pat Example", member_id="TEST0001")
    >>> repr(patient).startswith("Patient(name='***', member_id='***'")
    True
    >>> patient.name
    'Pat Example'

    Added in 0.1.0.
    """

    name: str = attrs.field(repr=_masked)
    member_id: str = attrs.field(repr=_masked)
    date_of_birth: datetime.date | None = attrs.field(
        default=None, repr=_masked
    )
    group_number: str | None = attrs.field(default=None, repr=_masked)
    address_lines: tuple[str, ...] = attrs.field(default=(), repr=_masked)


@attrs.frozen(kw_only=True)
class ServiceLine:
    """
    One billed service line.

    Attributes:
        date_of_service: The day the service was given; ``None`` when it
            is not known, as in a draft made from a remittance that gives
            no day for the line.  A letter needs it (a draft prints a
            placeholder), and claim files must give it.
        cpt: The CPT or HCPCS code, such as ``"72148"``.
        modifiers: Two-character modifiers, such as ``"26"``.
        units: The units billed; 1 by default.
        billed: The amount billed for the line, if given.
        description: The service in words.

    >>> import datetime, decimal
    >>> line = ServiceLine(date_of_service=datetime.date(2026, 3, 2),
    ...                    cpt="72148", billed=decimal.Decimal("950.00"))
    >>> line.units, line.billed
    (Decimal('1'), Decimal('950.00'))

    Added in 0.1.0; ``date_of_service`` may be ``None`` since 0.2.0.
    """

    date_of_service: datetime.date | None = None
    cpt: str
    modifiers: tuple[str, ...] = ()
    units: decimal.Decimal = decimal.Decimal(1)
    billed: decimal.Decimal | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Claim:
    """
    The claim being appealed.

    Attributes:
        number: The practice's claim number; masked in ``repr``.
        payer_claim_number: The payer's number for the claim (ICN); masked
            in ``repr``.
        billed_amount: The total billed, if given.
        service_lines: The lines of the claim.
        icd10_codes: The ICD-10-CM diagnosis codes, such as ``"M54.16"``.
        place_of_service: The two-digit place-of-service code.

    >>> import datetime
    >>> day = datetime.date(2026, 3, 2)
    >>> line = ServiceLine(date_of_service=day, cpt="72148")
    >>> Claim(number="TEST-1", service_lines=(line,)).first_date_of_service
    datetime.date(2026, 3, 2)

    Added in 0.1.0.
    """

    number: str = attrs.field(repr=_masked)
    payer_claim_number: str | None = attrs.field(default=None, repr=_masked)
    billed_amount: decimal.Decimal | None = None
    service_lines: tuple[ServiceLine, ...] = ()
    icd10_codes: tuple[str, ...] = ()
    place_of_service: str | None = None

    @property
    def first_date_of_service(self) -> datetime.date | None:
        """
        The earliest date of service on the claim.
        """
        dates = [
            line.date_of_service
            for line in self.service_lines
            if line.date_of_service is not None
        ]

        return min(dates) if dates else None

    @property
    def last_date_of_service(self) -> datetime.date | None:
        """
        The latest date of service on the claim.
        """
        dates = [
            line.date_of_service
            for line in self.service_lines
            if line.date_of_service is not None
        ]

        return max(dates) if dates else None


@attrs.frozen(kw_only=True)
class Denial:
    """
    What the payer said: codes, dates and the stated reason.

    Attributes:
        codes: The codes on the denial, such as CO-50 and N386.
        notice_date: The date on the decision being appealed: the initial
            denial for a first-level appeal, the first-level decision for
            a second-level one, the final internal decision for an
            external review.  Appeal deadlines count from it.
        received_date: When the notice arrived, if known.
        stated_reason: The reason in the payer's words.
        prior_authorization_number: The authorization number, if any;
            masked in ``repr``.
        printed_deadline: A deadline printed on the notice; it wins over
            the federal rules.
        decision_contractor: Who made the decision, such as a Medicare
            contractor or a benefit manager.
        original_submission_date: When the claim was first sent, for
            timely-filing appeals.
        submission_proof: What shows it was sent in time, such as a
            clearinghouse acceptance report.
        correction: What a corrected claim changes.

    >>> import datetime
    >>> from denialkit import CodeRef
    >>> denial = Denial(codes=(CodeRef.parse("CO-50"),),
    ...                 notice_date=datetime.date(2026, 3, 2))
    >>> str(denial.codes[0]), denial.printed_deadline
    ('CO-50', None)

    Added in 0.1.0.
    """

    codes: tuple[CodeRef, ...]
    # The date on the decision being appealed: the initial denial for a
    # first-level appeal, the first-level decision for a second-level one,
    # the final internal decision for an external review.
    notice_date: datetime.date
    received_date: datetime.date | None = None
    stated_reason: str | None = None
    prior_authorization_number: str | None = attrs.field(
        default=None, repr=_masked
    )
    printed_deadline: datetime.date | None = None
    decision_contractor: str | None = None
    original_submission_date: datetime.date | None = None
    submission_proof: str | None = None
    correction: str | None = None


@attrs.frozen(kw_only=True)
class Guideline:
    """
    A clinical guideline cited in the argument, such as an ACR
    Appropriateness Criteria topic with its variant and 1-9 rating.

    Attributes:
        name: The guideline's name.
        topic: The topic within it.
        variant: The clinical variant that fits the patient.
        rating: The guideline's rating for the service, 1 to 9.
        url: Where the guideline can be read.

    >>> Guideline(name="An invented imaging guideline", rating=8).rating
    8

    Added in 0.1.0.
    """

    name: str
    topic: str | None = None
    variant: str | None = None
    rating: int | None = None
    url: str | None = None


@attrs.frozen(kw_only=True)
class ClinicalFacts:
    """
    The clinical story that supports the appeal.

    Masked in ``repr``: it is patient data.

    Attributes:
        summary: The case in a few sentences.
        conservative_treatment: The treatment tried before the service.
        conservative_duration: How long it was tried, such as
            ``"6 weeks"``.
        symptoms: The symptoms that led to the service.
        red_flags: Findings that call for the service without delay.
        prior_imaging: Earlier studies and what they showed.
        guideline: A guideline that supports the service.

    >>> facts = ClinicalFacts(summary="An invented case.")
    >>> repr(facts).startswith("ClinicalFacts(summary='***'")
    True

    Added in 0.1.0.
    """

    summary: str | None = attrs.field(default=None, repr=_masked)
    conservative_treatment: str | None = attrs.field(
        default=None, repr=_masked
    )
    conservative_duration: str | None = attrs.field(default=None, repr=_masked)
    symptoms: tuple[str, ...] = attrs.field(default=(), repr=_masked)
    red_flags: tuple[str, ...] = attrs.field(default=(), repr=_masked)
    prior_imaging: tuple[str, ...] = attrs.field(default=(), repr=_masked)
    guideline: Guideline | None = None


@attrs.frozen(kw_only=True)
class Attachment:
    """
    A document enclosed with the letter.

    Attributes:
        title: The document, as listed under "Enclosures".
        description: A note on what it shows.

    >>> Attachment(title="Office notes (invented)").description is None
    True

    Added in 0.1.0.
    """

    title: str
    description: str | None = None


@attrs.frozen(kw_only=True)
class AppealContext:
    """
    Everything a letter is filled from.

    Read one from a claim file with :func:`load_context`, or build it in
    code.  Sections see each field by name (``payer.name``,
    ``claim.service_lines``).

    Attributes:
        practice: The practice sending the letter.
        provider: The clinician, if the letter names one.
        payer: The payer that denied the claim.
        patient: The patient.
        claim: The claim being appealed.
        denial: What the payer said.
        clinical: The clinical facts, for medical-necessity letters.
        attachments: The documents enclosed.
        letter_date: The date on the letter and the filing date compared
            with the deadline; it defaults to today.
        signer_name: Who signs the letter.
        signer_title: The signer's role.

    >>> import datetime
    >>> context = AppealContext(
    ...     practice=Practice(name="Example Clinic"),
    ...     payer=Payer(name="Demo Plan", payer_type="commercial"),
    ...     patient=Patient(name="Pat Example", member_id="TEST0001"),
    ...     claim=Claim(number="TEST-1"),
    ...     denial=Denial(codes=(), notice_date=datetime.date(2026, 3, 2)),
    ... )
    >>> context.template_data["payer"]["name"]
    'Demo Plan'

    Added in 0.1.0.
    """

    practice: Practice
    provider: Provider | None = None
    payer: Payer
    patient: Patient
    claim: Claim
    denial: Denial
    clinical: ClinicalFacts | None = None
    attachments: tuple[Attachment, ...] = ()
    letter_date: datetime.date = attrs.field(factory=datetime.date.today)
    signer_name: str | None = None
    signer_title: str | None = None

    @cached_property
    def template_data(self) -> dict[str, Any]:
        """
        The context as nested plain data for templates; built once.
        """
        from ._render import to_template_data

        return to_template_data(self)

    @cached_property
    def _letter_data(self) -> dict[Any, Any]:
        # Letter facts resolved against this context (deadline, dates),
        # by letter; contexts are immutable, so this is computed once.
        return {}


# Loading from files ---------------------------------------------------


def load_context(path: str | os.PathLike[str]) -> AppealContext:
    """
    Read a claim file (YAML or JSON) into an :class:`AppealContext`.

    A file whose name ends in ``.json`` is read as JSON, any other as
    YAML.  Its top-level keys are the fields of :class:`AppealContext`;
    dates are written ``YYYY-MM-DD`` and amounts in quotes
    (``"1250.00"``).

    Args:
        path: The claim file, UTF-8 encoded.

    Returns:
        The context, checked field by field.

    Raises:
        DataFileError: the file cannot be read or a field is wrong; the
            error names the file, the field path and what is expected.

    >>> import json, os, tempfile
    >>> data = {"practice": {"name": "Demo"}, "claim": {"number": "C-1"},
    ...         "payer": {"name": "Demo Plan", "payer_type": "commercial"},
    ...         "patient": {"name": "Pat Example", "member_id": "X-1"},
    ...         "denial": {"codes": ["CO-50"], "notice_date": "2026-03-02"}}
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json",
    ...                                  delete=False) as stream:
    ...     json.dump(data, stream)
    >>> load_context(stream.name).denial.notice_date
    datetime.date(2026, 3, 2)
    >>> os.remove(stream.name)

    Added in 0.1.0.
    """
    from .._schema import read_text

    name, text = read_text(path)

    return context_from_data(_parse(text, name), file=name)


def load_section_data(
    path: str | os.PathLike[str], key: str
) -> Mapping[str, Any]:
    """
    Read one top-level mapping (such as ``practice``) from a YAML or JSON
    file, for files that hold only part of a context.
    """
    from .._schema import read_text

    name, text = read_text(path)
    data = _parse(text, name)
    if not isinstance(data, Mapping):
        raise DataFileError("expected a mapping at the top", file=name)
    if key in data:
        data = data[key]
    if not isinstance(data, Mapping):
        raise DataFileError(f"expected {key!r} to be a mapping", file=name)

    return data


def _parse(text: str, name: str) -> Any:
    if name.endswith(".json"):
        import json

        def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            keys = [key for key, _ in pairs]
            for key in keys:
                if keys.count(key) > 1:
                    raise DataFileError(
                        f"key {key!r} appears twice in one object", file=name
                    )
            return dict(pairs)

        try:
            return json.loads(text, object_pairs_hook=unique)
        except json.JSONDecodeError as exc:
            raise DataFileError(
                f"not valid JSON: {exc.msg}", file=name, line=exc.lineno
            ) from None
    from .._schema import load_yaml

    return load_yaml(text, file=name, plain_strings=True)


def context_from_data(data: Any, *, file: str | None = None) -> AppealContext:
    """
    Build an :class:`AppealContext` from parsed YAML/JSON data.

    The data is checked as :func:`load_context` checks a file: unknown
    fields, missing required ones and badly formed values (dates, amounts,
    NPIs, CPT and ICD-10 codes) are errors.

    Args:
        data: Nested mappings and lists, as a claim file holds them.
        file: The name to give in errors, such as the file the data came
            from.

    Returns:
        The context.

    Raises:
        DataFileError: naming the field path and what is expected.

    >>> context = context_from_data({
    ...     "practice": {"name": "Demo"}, "claim": {"number": "C-1"},
    ...     "payer": {"name": "Demo Plan", "payer_type": "commercial"},
    ...     "patient": {"name": "Pat Example", "member_id": "X-1"},
    ...     "denial": {"codes": ["CO-50"], "notice_date": "2026-03-02"}})
    >>> context.denial.codes
    (CodeRef(code_set='carc', code='50', group='CO'),)

    Added in 0.1.0.
    """
    return _Reader(file).context(data)


class _Reader:
    def __init__(self, file: str | None) -> None:
        self.file = file

    def fail(
        self, node: Any, key: str | None, path: str, problem: str
    ) -> None:
        lines = getattr(node, "lines", None)
        line = lines.get(key) if lines and key else None
        raise DataFileError(problem, file=self.file, line=line, field=path)

    def mapping(
        self, data: Any, path: str, known: tuple[str, ...]
    ) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            self.fail(None, None, path or "<top>", "expected a mapping")
        for key in data:
            if key not in known:
                self.fail(
                    data,
                    key,
                    f"{path}.{key}" if path else str(key),
                    f"unknown field; expected one of {', '.join(known)}",
                )

        return cast(Mapping[str, Any], data)

    def get(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        convert: Callable[[Any, str], T],
        *,
        required: bool = False,
    ) -> T | None:
        where = f"{path}.{key}" if path else key
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(data, key, where, "is required")
            return None
        try:
            return convert(value, where)
        except DenialKitError:
            raise
        except (TypeError, ValueError, decimal.InvalidOperation) as exc:
            self.fail(data, key, where, str(exc))
        raise AssertionError("unreachable")

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise ValueError(
                "expected text; put the value in quotes so it is kept"
                " exactly as written"
            )

        return value.strip()

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list):
            raise ValueError("expected a list of text")

        return tuple(
            self.text(item, f"{path}[{i}]") for i, item in enumerate(value)
        )

    def date(self, value: Any, path: str) -> datetime.date:
        if isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime
        ):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError("expected a date written YYYY-MM-DD")

    def money(self, value: Any, path: str) -> decimal.Decimal:
        if isinstance(value, float | bool):
            raise ValueError(
                "expected an amount in quotes such as '1250.00' (a bare"
                " number would pass through a float)"
            )
        text = str(value).strip().removeprefix("$")
        if not _MONEY.fullmatch(text):
            raise ValueError(
                "expected an amount such as 1250.00 or 1,250.00: digits,"
                " at most two decimals, no sign"
            )

        return decimal.Decimal(text.replace(",", ""))

    def units(self, value: Any, path: str) -> decimal.Decimal:
        text = str(value).strip()
        if isinstance(value, bool) or not _UNITS.fullmatch(text):
            raise ValueError("expected a positive number of units such as 1")

        return decimal.Decimal(text)

    def npi(self, value: Any, path: str) -> str:
        npi = self.text(value, path)
        if not is_valid_npi(npi):
            raise ValueError(
                "expected a 10-digit NPI with a valid check digit"
            )

        return npi

    def payer_type(self, value: Any, path: str) -> PayerType:
        if value not in PAYER_TYPES:
            raise ValueError(f"expected one of {', '.join(PAYER_TYPES)}")

        return cast(PayerType, value)

    def context(self, data: Any) -> AppealContext:
        top = self.mapping(
            data, "", tuple(f.name for f in attrs.fields(AppealContext))
        )
        for key in ("practice", "payer", "patient", "claim", "denial"):
            if top.get(key) is None:
                self.fail(top, None, key, "is required")
        attachments = top.get("attachments") or []
        if not isinstance(attachments, list):
            self.fail(top, "attachments", "attachments", "expected a list")

        return AppealContext(
            practice=self.practice(top["practice"]),
            provider=self.provider(top["provider"])
            if top.get("provider")
            else None,
            payer=self.payer(top["payer"]),
            patient=self.patient(top["patient"]),
            claim=self.claim(top["claim"]),
            denial=self.denial(top["denial"]),
            clinical=self.clinical(top["clinical"])
            if top.get("clinical")
            else None,
            attachments=tuple(
                self.attachment(item, f"attachments[{i}]")
                for i, item in enumerate(attachments)
            ),
            letter_date=self.get(top, "letter_date", "", self.date)
            or datetime.date.today(),
            signer_name=self.get(top, "signer_name", "", self.text),
            signer_title=self.get(top, "signer_title", "", self.text),
        )

    def practice(self, data: Any) -> Practice:
        p = "practice"
        m = self.mapping(
            data,
            p,
            (
                "name",
                "address_lines",
                "phone",
                "fax",
                "npi",
                "tax_id",
                "contact_name",
                "contact_title",
            ),
        )

        return Practice(
            name=self.get(m, "name", p, self.text, required=True) or "",
            address_lines=self.get(m, "address_lines", p, self.texts) or (),
            phone=self.get(m, "phone", p, self.text),
            fax=self.get(m, "fax", p, self.text),
            npi=self.get(m, "npi", p, self.npi),
            tax_id=self.get(m, "tax_id", p, self.text),
            contact_name=self.get(m, "contact_name", p, self.text),
            contact_title=self.get(m, "contact_title", p, self.text),
        )

    def provider(self, data: Any) -> Provider:
        p = "provider"
        m = self.mapping(data, p, ("name", "npi", "credentials", "specialty"))

        return Provider(
            name=self.get(m, "name", p, self.text, required=True) or "",
            npi=self.get(m, "npi", p, self.npi, required=True) or "",
            credentials=self.get(m, "credentials", p, self.text),
            specialty=self.get(m, "specialty", p, self.text),
        )

    def payer(self, data: Any) -> Payer:
        p = "payer"
        m = self.mapping(
            data,
            p,
            (
                "name",
                "payer_type",
                "appeals_address_lines",
                "plan_name",
                "benefit_manager",
            ),
        )
        payer_type = self.get(
            m, "payer_type", p, self.payer_type, required=True
        )

        return Payer(
            name=self.get(m, "name", p, self.text, required=True) or "",
            payer_type=payer_type or "other",
            appeals_address_lines=self.get(
                m, "appeals_address_lines", p, self.texts
            )
            or (),
            plan_name=self.get(m, "plan_name", p, self.text),
            benefit_manager=self.get(m, "benefit_manager", p, self.text),
        )

    def patient(self, data: Any) -> Patient:
        p = "patient"
        m = self.mapping(
            data,
            p,
            (
                "name",
                "member_id",
                "date_of_birth",
                "group_number",
                "address_lines",
            ),
        )

        return Patient(
            name=self.get(m, "name", p, self.text, required=True) or "",
            member_id=self.get(m, "member_id", p, self.text, required=True)
            or "",
            date_of_birth=self.get(m, "date_of_birth", p, self.date),
            group_number=self.get(m, "group_number", p, self.text),
            address_lines=self.get(m, "address_lines", p, self.texts) or (),
        )

    def claim(self, data: Any) -> Claim:
        p = "claim"
        m = self.mapping(
            data,
            p,
            (
                "number",
                "payer_claim_number",
                "billed_amount",
                "service_lines",
                "icd10_codes",
                "place_of_service",
            ),
        )
        lines = m.get("service_lines") or []
        if not isinstance(lines, list):
            self.fail(
                m, "service_lines", f"{p}.service_lines", "expected a list"
            )

        return Claim(
            number=self.get(m, "number", p, self.text, required=True) or "",
            payer_claim_number=self.get(m, "payer_claim_number", p, self.text),
            billed_amount=self.get(m, "billed_amount", p, self.money),
            service_lines=tuple(
                self.service_line(item, f"{p}.service_lines[{i}]")
                for i, item in enumerate(lines)
            ),
            icd10_codes=self.get(m, "icd10_codes", p, self.icd10) or (),
            place_of_service=self.get(m, "place_of_service", p, self.text),
        )

    def icd10(self, value: Any, path: str) -> tuple[str, ...]:
        codes = self.texts(value, path)
        for index, code in enumerate(codes):
            if not _ICD10.fullmatch(code.upper()):
                raise DataFileError(
                    "expected an ICD-10-CM code such as M54.16",
                    file=self.file,
                    field=f"{path}[{index}]",
                )

        return tuple(code.upper() for code in codes)

    def service_line(self, data: Any, p: str) -> ServiceLine:
        m = self.mapping(
            data,
            p,
            (
                "date_of_service",
                "cpt",
                "modifiers",
                "units",
                "billed",
                "description",
            ),
        )
        cpt = self.get(m, "cpt", p, self.cpt, required=True) or ""
        modifiers = self.get(m, "modifiers", p, self.texts) or ()
        for index, modifier in enumerate(modifiers):
            if not _MODIFIER.fullmatch(modifier.upper()):
                self.fail(
                    m,
                    "modifiers",
                    f"{p}.modifiers[{index}]",
                    "expected a two-character modifier such as 26",
                )

        return ServiceLine(
            date_of_service=self.get(
                m, "date_of_service", p, self.date, required=True
            )
            or datetime.date.min,
            cpt=cpt,
            modifiers=tuple(mod.upper() for mod in modifiers),
            units=self.get(m, "units", p, self.units) or decimal.Decimal(1),
            billed=self.get(m, "billed", p, self.money),
            description=self.get(m, "description", p, self.text),
        )

    def cpt(self, value: Any, path: str) -> str:
        code = self.text(value, path).upper()
        if not _CPT.fullmatch(code):
            raise ValueError(
                "expected a CPT or HCPCS code: five characters such as"
                " 72148, 0042T or G0288"
            )

        return code

    def denial(self, data: Any) -> Denial:
        p = "denial"
        m = self.mapping(
            data,
            p,
            (
                "codes",
                "notice_date",
                "received_date",
                "stated_reason",
                "prior_authorization_number",
                "printed_deadline",
                "decision_contractor",
                "original_submission_date",
                "submission_proof",
                "correction",
            ),
        )
        codes = self.get(m, "codes", p, self.code_refs, required=True) or ()

        return Denial(
            codes=codes,
            notice_date=self.get(m, "notice_date", p, self.date, required=True)
            or datetime.date.min,
            received_date=self.get(m, "received_date", p, self.date),
            stated_reason=self.get(m, "stated_reason", p, self.text),
            prior_authorization_number=self.get(
                m, "prior_authorization_number", p, self.text
            ),
            printed_deadline=self.get(m, "printed_deadline", p, self.date),
            decision_contractor=self.get(
                m, "decision_contractor", p, self.text
            ),
            original_submission_date=self.get(
                m, "original_submission_date", p, self.date
            ),
            submission_proof=self.get(m, "submission_proof", p, self.text),
            correction=self.get(m, "correction", p, self.text),
        )

    def code_refs(self, value: Any, path: str) -> tuple[CodeRef, ...]:
        refs = []
        for index, text in enumerate(self.texts(value, path)):
            try:
                refs.append(CodeRef.parse(text))
            except DenialKitError:
                raise DataFileError(
                    "expected a denial code such as CO-50, N386 or R2",
                    file=self.file,
                    field=f"{path}[{index}]",
                ) from None

        return tuple(refs)

    def clinical(self, data: Any) -> ClinicalFacts:
        p = "clinical"
        m = self.mapping(
            data,
            p,
            (
                "summary",
                "conservative_treatment",
                "conservative_duration",
                "symptoms",
                "red_flags",
                "prior_imaging",
                "guideline",
            ),
        )

        return ClinicalFacts(
            summary=self.get(m, "summary", p, self.text),
            conservative_treatment=self.get(
                m, "conservative_treatment", p, self.text
            ),
            conservative_duration=self.get(
                m, "conservative_duration", p, self.text
            ),
            symptoms=self.get(m, "symptoms", p, self.texts) or (),
            red_flags=self.get(m, "red_flags", p, self.texts) or (),
            prior_imaging=self.get(m, "prior_imaging", p, self.texts) or (),
            guideline=self.guideline(m["guideline"])
            if m.get("guideline")
            else None,
        )

    def guideline(self, data: Any) -> Guideline:
        p = "clinical.guideline"
        m = self.mapping(
            data, p, ("name", "topic", "variant", "rating", "url")
        )

        return Guideline(
            name=self.get(m, "name", p, self.text, required=True) or "",
            topic=self.get(m, "topic", p, self.text),
            variant=self.get(m, "variant", p, self.text),
            rating=self.get(m, "rating", p, self.rating),
            url=self.get(m, "url", p, self.text),
        )

    def rating(self, value: Any, path: str) -> int:
        text = str(value).strip()
        if isinstance(value, bool) or text not in tuple("123456789"):
            raise ValueError("expected a whole-number rating from 1 to 9")

        return int(text)

    def attachment(self, data: Any, p: str) -> Attachment:
        if isinstance(data, str):
            return Attachment(title=data)
        m = self.mapping(data, p, ("title", "description"))

        return Attachment(
            title=self.get(m, "title", p, self.text, required=True) or "",
            description=self.get(m, "description", p, self.text),
        )
