"""Validation of a contact registration: every rule of the form, every error collected.

Free text is short and must not identify anyone: text that looks like an e-mail address
or a phone number is refused with a warning instead of being stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
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


class _Missing:
    """The key is absent from the submitted data."""


MISSING: Final = _Missing()


class _FieldError(Exception):
    """One field's problem; the message is shown to the expert."""


class _Form:
    """Collects parsed values and the error of every field that failed."""

    def __init__(self, data: Mapping[str, object]) -> None:
        self.data = data
        self.errors = {str(key): "Unknown field." for key in data if key not in FIELD_NAMES}

    def field(self, name: str, default: T, parse: Callable[..., T], *args: object) -> T:
        """Return the parsed value of ``name``, or ``default`` after recording its error."""
        try:
            return parse(self.data.get(name, MISSING), *args)
        except _FieldError as exc:
            self.errors[name] = str(exc)
            return default

    def ok(self, name: str) -> bool:
        """Return whether ``name`` parsed without error."""
        return name not in self.errors


def validate_registration(data: Mapping[str, object], *, today: dt.date) -> RegistrationFields:
    """Return the validated fields of ``data``; raise RegistrationInputError with every error."""
    if not isinstance(data, Mapping):
        raise RegistrationInputError({"registration": "Send the fields as an object."})
    form = _Form(data)
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


def _date(raw: object, today: dt.date) -> dt.date:
    if raw is MISSING or raw is None or raw == "":
        raise _FieldError("This field is required.")
    if not isinstance(raw, str) or not _DATE_RE.fullmatch(raw):
        raise _FieldError("Write the date as YYYY-MM-DD.")
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise _FieldError("This date does not exist.") from None
    if value > today:
        raise _FieldError("The date cannot be in the future.")
    if value < EARLIEST_DATE:
        raise _FieldError(f"The date cannot be before {EARLIEST_DATE.isoformat()}.")
    return value


def _duration(raw: object) -> int:
    if raw is MISSING or raw is None:
        raise _FieldError("This field is required.")
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise _FieldError("Give the duration as a whole number of minutes.")
    if not 0 <= raw <= MAX_DURATION_MINUTES:
        raise _FieldError(f"Give a duration from 0 to {MAX_DURATION_MINUTES} minutes.")
    return raw


def _required_code(raw: object, codes: tuple[str, ...]) -> str:
    code = _optional_code(raw, codes)
    if code is None:
        raise _FieldError("This field is required.")
    return code


def _optional_code(raw: object, codes: tuple[str, ...]) -> str | None:
    if raw is MISSING or raw is None or raw == "":
        return None
    if not isinstance(raw, str) or raw not in codes:
        raise _FieldError(f"Choose one of: {', '.join(codes)}.")
    return raw


def _code_list(raw: object, codes: tuple[str, ...]) -> tuple[str, ...]:
    if raw is MISSING or raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise _FieldError("Send a list of codes.")
    if any(not isinstance(code, str) or code not in codes for code in raw):
        raise _FieldError(f"Use only these codes: {', '.join(codes)}.")
    if len(set(raw)) != len(raw):
        raise _FieldError("Give each code only once.")
    return _in_code_order(raw, codes)


def _in_code_order(chosen: Collection[object], codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code for code in codes if code in chosen)


def _advised_help(raw: object, allowed: bool | None) -> tuple[str, ...]:
    codes = _code_list(raw, ADVISED_HELP)
    if codes and allowed is False:
        raise _FieldError(
            "Only fill this in when the support given includes advice to seek professional help."
        )
    return codes


def _conditional_text(raw: object, wanted: bool | None, condition: str) -> str | None:
    text = _free_text(raw)
    if wanted and text is None:
        raise _FieldError(f"Required when {condition}; describe it briefly.")
    if wanted is False and text is not None:
        raise _FieldError(f"Only fill this in when {condition}.")
    return text


def _free_text(raw: object) -> str | None:
    if raw is MISSING or raw is None:
        return None
    if not isinstance(raw, str):
        raise _FieldError("Write a short text.")
    text = raw.strip()
    if len(text) > MAX_FREE_TEXT:
        raise _FieldError(f"Use at most {MAX_FREE_TEXT} characters.")
    if _EMAIL_RE.search(text) or _PHONE_RE.search(text):
        raise _FieldError(IDENTIFYING_TEXT_MESSAGE)
    return text or None
