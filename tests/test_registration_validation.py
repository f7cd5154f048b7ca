"""Registration validation (pure): every rule, accepted and refused from one valid form.

A form goes through what the API does with it: the body's declaration (types, each with the
message the console knows: chatserver/http/registrationbody.py), then the form's rules
(registration/validation.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from chatserver.http.registrationbody import RegistrationBody
from chatserver.schema import SchemaError, decode, field_errors, fields_of
from nabij.vocab import AUDIENCES
from registration.codes import (
    ADVISED_HELP,
    AUDIENCE_TO_SEEKER,
    CODES,
    CONTACT_SEEKERS,
    CONTACT_TYPES,
    LABELS,
    REFERRALS,
    SUPPORT,
    label,
)
from registration.validation import (
    FIELD_NAMES,
    IDENTIFYING_TEXT_MESSAGE,
    RegistrationAnswers,
    RegistrationFields,
    RegistrationInputError,
    validate_registration,
)

TODAY = dt.date(2026, 5, 4)
MISSING = object()


def valid_form(**changes: Any) -> dict[str, object]:
    """A complete, valid form; ``changes`` replace fields (MISSING removes one)."""
    form: dict[str, object] = {
        "contact_date": "2026-05-03",
        "duration_minutes": 35,
        "contact_type": "chat",
        "first_or_followup": "first",
        "contact_seeker": "victim",
        "referral": "website",
        "referral_other": None,
        "support": ["listening_ear", "advice_professional_help"],
        "advised_help": ["veilig_thuis"],
        "advised_help_other": None,
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not MISSING}


def validated(form: dict[str, object]) -> RegistrationFields:
    """``form`` decoded as the API's body declares it, then checked by the form's rules."""
    return validate_registration(decode(form, RegistrationBody).answers(), today=TODAY)


def errors_of(form: dict[str, object]) -> dict[str, str]:
    """Return the errors of ``form`` ({} when it is accepted): every wrong type, else every
    broken rule (a value of the wrong type is never judged by the rules)."""
    if faults := field_errors(form, RegistrationBody):
        return faults
    try:
        validated(form)
    except RegistrationInputError as exc:
        return exc.errors
    return {}


def test_valid_form_gives_typed_fields() -> None:
    fields = validated(valid_form())
    assert fields == RegistrationFields(
        contact_date=dt.date(2026, 5, 3),
        duration_minutes=35,
        contact_type="chat",
        first_or_followup="first",
        contact_seeker="victim",
        referral="website",
        referral_other=None,
        support=("listening_ear", "advice_professional_help"),
        advised_help=("veilig_thuis",),
        advised_help_other=None,
    )


def test_minimal_form_leaves_optional_answers_missing() -> None:
    form = valid_form(
        contact_seeker=MISSING,
        referral=None,
        referral_other=MISSING,
        support=[],
        advised_help=MISSING,
        advised_help_other=MISSING,
    )
    fields = validated(form)
    assert (fields.contact_seeker, fields.referral, fields.referral_other) == (None, None, None)
    assert (fields.support, fields.advised_help, fields.advised_help_other) == ((), (), None)


def test_every_wrong_type_is_collected() -> None:
    form = valid_form(duration_minutes="35", support="all", favourite_colour="blue")
    errors = errors_of(form)
    assert errors == {
        "duration_minutes": "Give the duration as a whole number of minutes.",
        "support": "Send a list of codes.",
        "favourite_colour": "Unknown field.",
    }


def test_every_broken_rule_is_collected() -> None:
    form = valid_form(contact_date="yesterday", contact_type="pigeon", first_or_followup=MISSING)
    errors = errors_of(form)
    assert set(errors) == {"contact_date", "contact_type", "first_or_followup"}
    assert errors["first_or_followup"] == "This field is required."


def test_not_an_object_is_refused() -> None:
    with pytest.raises(SchemaError, match="must be an object"):
        decode(["contact_date"], RegistrationBody)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2026-05-04", None),  # today
        ("2000-01-01", None),
        ("2026-05-05", "The date cannot be in the future."),
        ("1999-12-31", "The date cannot be before 2000-01-01."),
        ("2026-02-30", "This date does not exist."),
        ("4-5-2026", "Write the date as YYYY-MM-DD."),
        ("2026-05-03T10:00", "Write the date as YYYY-MM-DD."),  # no time of day
        (20260503, "Write the date as YYYY-MM-DD."),
        (None, "This field is required."),
        (MISSING, "This field is required."),
    ],
)
def test_contact_date(value: object, error: str | None) -> None:
    assert errors_of(valid_form(contact_date=value)).get("contact_date") == error


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (0, True),
        (1440, True),
        (-1, False),
        (1441, False),
        (35.0, False),
        ("35", False),
        (True, False),
        (None, False),
        (MISSING, False),
    ],
)
def test_duration_minutes(value: object, accepted: bool) -> None:
    assert ("duration_minutes" not in errors_of(valid_form(duration_minutes=value))) is accepted


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("contact_type", "whatsapp", True),
        ("contact_type", "unknown", False),
        ("contact_type", "", False),
        ("contact_type", None, False),
        ("first_or_followup", "followup", True),
        ("first_or_followup", "unknown", True),
        ("first_or_followup", "chat", False),
        ("first_or_followup", ["first"], False),
    ],
)
def test_required_codes(field: str, value: object, accepted: bool) -> None:
    assert (field not in errors_of(valid_form(**{field: value}))) is accepted


@pytest.mark.parametrize("code", CONTACT_TYPES)
def test_every_contact_type_is_accepted(code: str) -> None:
    assert errors_of(valid_form(contact_type=code)) == {}


@pytest.mark.parametrize("field", ["contact_seeker", "referral"])
@pytest.mark.parametrize(
    ("value", "accepted", "stored"),
    [
        (MISSING, True, None),
        (None, True, None),
        ("", True, None),
        ("professional", True, "professional"),
        ("Victim", False, None),
        (["victim"], False, None),
    ],
)
def test_optional_codes(field: str, value: object, accepted: bool, stored: str | None) -> None:
    form = valid_form(**{field: value})
    if accepted:
        assert getattr(validated(form), field) == stored
    else:
        assert field in errors_of(form)


@pytest.mark.parametrize("code", CONTACT_SEEKERS)
def test_every_contact_seeker_is_accepted(code: str) -> None:
    assert errors_of(valid_form(contact_seeker=code)) == {}


@pytest.mark.parametrize(
    ("referral", "text", "error"),
    [
        ("other", "  via the library  ", None),
        ("other", None, "Required when 'came in through' is 'other'; describe it briefly."),
        ("other", "   ", "Required when 'came in through' is 'other'; describe it briefly."),
        ("other", "x" * 100, None),
        ("other", "x" * 101, "Use at most 100 characters."),
        ("other", 42, "Write a short text."),
        ("website", "via the library", "Only fill this in when 'came in through' is 'other'."),
        ("website", "", None),
        (None, "via the library", "Only fill this in when 'came in through' is 'other'."),
    ],
)
def test_referral_other(referral: object, text: object, error: str | None) -> None:
    form = valid_form(referral=referral, referral_other=text)
    assert errors_of(form).get("referral_other") == error
    if error is None and referral == "other":
        fields = validated(form)
        assert fields.referral_other == str(text).strip()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ([], None),
        (list(SUPPORT), None),
        (["listening_ear", "listening_ear"], "Give each code only once."),
        (
            ["hugs"],
            "Use only these codes: listening_ear, advice_personal, advice_professional_help.",
        ),
        ("listening_ear", "Send a list of codes."),
        ([1], "Send a list of codes."),  # a type fault: the declaration says it
    ],
)
def test_support(value: object, error: str | None) -> None:
    form = valid_form(support=value, advised_help=[])
    assert errors_of(form).get("support") == error


def test_lists_are_stored_in_code_order() -> None:
    form = valid_form(support=list(reversed(SUPPORT)), advised_help=list(reversed(ADVISED_HELP)))
    form["advised_help_other"] = "buddy project"
    fields = validated(form)
    assert fields.support == SUPPORT
    assert fields.advised_help == ADVISED_HELP


@pytest.mark.parametrize(
    ("support", "advised", "accepted"),
    [
        (["advice_professional_help"], ["ggz", "police"], True),
        (["listening_ear"], [], True),
        (["listening_ear"], ["ggz"], False),
        ([], ["gp"], False),
        (["advice_professional_help"], ["ggz", "ggz"], False),
        (["advice_professional_help"], ["therapy"], False),
    ],
)
def test_advised_help_only_with_advice_to_seek_help(
    support: list[str], advised: list[str], accepted: bool
) -> None:
    assert ("advised_help" not in errors_of(valid_form(support=support, advised_help=advised))) is (
        accepted
    )


def test_advised_help_is_not_judged_against_a_bad_support_answer() -> None:
    errors = errors_of(valid_form(support="everything", advised_help=["ggz"]))
    assert list(errors) == ["support"]


@pytest.mark.parametrize(
    ("advised", "text", "accepted"),
    [
        (["other"], "buddy project", True),
        (["other"], None, False),
        (["other"], " ", False),
        (["gp"], "buddy project", False),
        (["gp"], None, True),
        (["other"], "y" * 101, False),
    ],
)
def test_advised_help_other(advised: list[str], text: object, accepted: bool) -> None:
    form = valid_form(advised_help=advised, advised_help_other=text)
    assert ("advised_help_other" not in errors_of(form)) is accepted


@pytest.mark.parametrize(
    ("text", "identifying"),
    [
        ("buurtteam", False),
        ("flyer 2024 at the library", False),
        ("jan@example.nl", True),
        ("mail me at a.b@c", True),
        ("0612345678", True),
        ("06-1234 5678", True),
        ("+31 6 12 34 56 78", True),
        ("1234567", False),
    ],
)
def test_free_text_must_not_identify_anyone(text: str, identifying: bool) -> None:
    for form in (
        valid_form(referral="other", referral_other=text),
        valid_form(advised_help=["other"], advised_help_other=text),
    ):
        messages = set(errors_of(form).values())
        assert (IDENTIFYING_TEXT_MESSAGE in messages) is identifying


# -- code lists -----------------------------------------------------------------------------


def test_every_code_has_a_dutch_label() -> None:
    for field, codes in CODES.items():
        assert set(LABELS[field]) == set(codes), field
    assert label("referral", "card_perpetrators") == "Weggeefkaartje voor plegers"
    assert label("advised_help", "veilig_thuis") == "Veilig Thuis"
    assert label("contact_type", "face_to_face") == "Face-to-face"


def test_every_audience_maps_to_a_contact_seeker_or_none() -> None:
    assert set(AUDIENCE_TO_SEEKER) == set(AUDIENCES)
    assert {v for v in AUDIENCE_TO_SEEKER.values() if v} <= set(CONTACT_SEEKERS)
    assert AUDIENCE_TO_SEEKER["relative"] is None
    assert "other" in REFERRALS


def test_the_body_declares_exactly_the_form_s_fields_in_its_order() -> None:
    declared = [field.encode_name for field in fields_of(RegistrationBody)]
    assert (
        declared == list(FIELD_NAMES) == [f.name for f in dataclasses.fields(RegistrationAnswers)]
    )
