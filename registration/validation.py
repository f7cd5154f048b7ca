"""Validation of a contact registration: every rule of the form, every error collected.

Free text is short and must not identify anyone: text that looks like an e-mail address
or a phone number is refused with a warning instead of being stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Final, TypeVar

from registration.codes import (
    ADVISED_HELP,
    CONTACT_SEEKERS,
    CONTACT_TYPES,
    FIRST_OR_FOLLOWUP,
    REFERRALS,
    SUPPORT,
)

T = TypeVar("T")

FIELD_NAMES: Final = (
    "contact_date",
    "duration_minutes",
    "contact_type",
    "first_or_followup",
    "contact_seeker",
    "referral",
    "referral_other",
    "support",
    "advised_help",
    "advised_help_other",
)
EARLIEST_DATE: Final = dt.date(2000, 1, 1)
MAX_DURATION_MINUTES: Final = 1440
MAX_FREE_TEXT: Final = 100
NO_CODES: Final[tuple[str, ...]] = ()

#: The messages of answers of the wrong type (the declaration says them, the pages know them).
DATE_MESSAGE: Final = "Write the date as YYYY-MM-DD."
DURATION_MESSAGE: Final = "Give the duration as a whole number of minutes."
CODE_LIST_MESSAGE: Final = "Send a list of codes."
FREE_TEXT_MESSAGE: Final = "Write a short text."

IDENTIFYING_TEXT_MESSAGE: Final = (
    "This looks like an e-mail address or a phone number. "
    "Do not record anything that could identify someone."
)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EMAIL_RE = re.compile(r"[^\s@]+@[^\s@]+")
# Eight or more digits with only separators between them: 0612345678, 06-1234 5678, +31 6 ...
_PHONE_RE = re.compile(r"\d(?:[\s\-./()]*\d){7,}")


class RegistrationInputError(ValueError):
    """A registration was refused; ``errors`` maps each bad field to a clear message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class RegistrationFields:
    """The validated answers of one registration form."""

    contact_date: dt.date
    duration_minutes: int
    contact_type: str
    first_or_followup: str
    contact_seeker: str | None
    referral: str | None
    referral_other: str | None
    support: tuple[str, ...]
    advised_help: tuple[str, ...]
    advised_help_other: str | None


@dataclass(frozen=True)
class RegistrationAnswers:
    """What an expert sent, typed; None is an answer left out.

    The HTTP body's declaration (chatserver/http/registrationbody.py) guarantees each type,
    so only the form's rules are checked here.
    """

    contact_date: str | None = None
    duration_minutes: int | None = None
    contact_type: str | None = None
    first_or_followup: str | None = None
    contact_seeker: str | None = None
    referral: str | None = None
    referral_other: str | None = None
    support: list[str] | None = None
    advised_help: list[str] | None = None
    advised_help_other: str | None = None


class _FieldError(Exception):
    """One field's problem; the message is shown to the expert."""


class _Form:
    """Collects parsed values and the error of every field that failed."""

    def __init__(self, answers: RegistrationAnswers) -> None:
        self.answers = answers
        self.errors: dict[str, str] = {}

    def field(self, name: str, default: T, parse: Callable[..., T], *args: object) -> T:
        """Return the parsed value of ``name``, or ``default`` after recording its error."""
        try:
            return parse(getattr(self.answers, name), *args)
        except _FieldError as exc:
            self.errors[name] = str(exc)
            return default

    def ok(self, name: str) -> bool:
        """Return whether ``name`` parsed without error."""
        return name not in self.errors


def validate_registration(answers: RegistrationAnswers, *, today: dt.date) -> RegistrationFields:
    """Return the validated fields of ``answers``; raise RegistrationInputError with every error."""
    form = _Form(answers)
    fields = RegistrationFields(
        contact_date=form.field("contact_date", EARLIEST_DATE, _date, today),
        duration_minutes=form.field("duration_minutes", 0, _duration),
        contact_type=form.field("contact_type", "", _required_code, CONTACT_TYPES),
        first_or_followup=form.field("first_or_followup", "", _required_code, FIRST_OR_FOLLOWUP),
        contact_seeker=form.field("contact_seeker", None, _optional_code, CONTACT_SEEKERS),
        referral=form.field("referral", None, _optional_code, REFERRALS),
        referral_other=None,
        support=form.field("support", NO_CODES, _code_list, SUPPORT),
        advised_help=(),
        advised_help_other=None,
    )
    fields = _dependent_fields(form, fields)
    if form.errors:
        raise RegistrationInputError(form.errors)
    return fields


def _dependent_fields(form: _Form, fields: RegistrationFields) -> RegistrationFields:
    """Parse the fields whose rules depend on another answer (None: that answer was bad)."""
    other_referral = fields.referral == "other" if form.ok("referral") else None
    referral_other = form.field(
        "referral_other", None, _conditional_text, other_referral, "'came in through' is 'other'"
    )
    advised = "advice_professional_help" in fields.support if form.ok("support") else None
    advised_help = form.field("advised_help", NO_CODES, _advised_help, advised)
    other_help = "other" in advised_help if form.ok("advised_help") else None
    advised_help_other = form.field(
        "advised_help_other", None, _conditional_text, other_help, "'help advised' has 'other'"
    )
    return dataclasses.replace(
        fields,
        referral_other=referral_other,
        advised_help=advised_help,
        advised_help_other=advised_help_other,
    )


def _date(raw: str | None, today: dt.date) -> dt.date:
    if raw is None or raw == "":
        raise _FieldError("This field is required.")
    if not _DATE_RE.fullmatch(raw):
        raise _FieldError(DATE_MESSAGE)
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise _FieldError("This date does not exist.") from None
    if value > today:
        raise _FieldError("The date cannot be in the future.")
    if value < EARLIEST_DATE:
        raise _FieldError(f"The date cannot be before {EARLIEST_DATE.isoformat()}.")
    return value


def _duration(raw: int | None) -> int:
    if raw is None:
        raise _FieldError("This field is required.")
    if not 0 <= raw <= MAX_DURATION_MINUTES:
        raise _FieldError(f"Give a duration from 0 to {MAX_DURATION_MINUTES} minutes.")
    return raw


def _required_code(raw: str | None, codes: tuple[str, ...]) -> str:
    code = _optional_code(raw, codes)
    if code is None:
        raise _FieldError("This field is required.")
    return code


def _optional_code(raw: str | None, codes: tuple[str, ...]) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in codes:
        raise _FieldError(choose_one_of(codes))
    return raw


def _code_list(raw: list[str] | None, codes: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None:
        return ()
    if any(code not in codes for code in raw):
        raise _FieldError(f"Use only these codes: {', '.join(codes)}.")
    if len(set(raw)) != len(raw):
        raise _FieldError("Give each code only once.")
    return _in_code_order(raw, codes)


def choose_one_of(codes: tuple[str, ...]) -> str:
    """The message of a code that is not one of ``codes``."""
    return f"Choose one of: {', '.join(codes)}."


def _in_code_order(chosen: Collection[object], codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code for code in codes if code in chosen)


def _advised_help(raw: list[str] | None, allowed: bool | None) -> tuple[str, ...]:
    codes = _code_list(raw, ADVISED_HELP)
    if codes and allowed is False:
        raise _FieldError(
            "Only fill this in when the support given includes advice to seek professional help."
        )
    return codes


def _conditional_text(raw: str | None, wanted: bool | None, condition: str) -> str | None:
    text = _free_text(raw)
    if wanted and text is None:
        raise _FieldError(f"Required when {condition}; describe it briefly.")
    if wanted is False and text is not None:
        raise _FieldError(f"Only fill this in when {condition}.")
    return text


def _free_text(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = raw.strip()
    if len(text) > MAX_FREE_TEXT:
        raise _FieldError(f"Use at most {MAX_FREE_TEXT} characters.")
    if _EMAIL_RE.search(text) or _PHONE_RE.search(text):
        raise _FieldError(IDENTIFYING_TEXT_MESSAGE)
    return text or None
