"""The body of ``POST /api/registrations`` and ``PUT /api/registrations/{id}``, declared.

The declaration holds the types; a value of the wrong type is refused here with the
message the console knows (and shows in Dutch: chatserver/console/i18n.py). What the
form's rules say about the values (a date in the future, a code that does not fit another
answer) is registration/validation.py's, each error collected.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from chatserver.http.declared import Body
from chatserver.schema import said
from registration.codes import (
    CONTACT_SEEKERS,
    CONTACT_TYPES,
    FIRST_OR_FOLLOWUP,
    REFERRALS,
)
from registration.validation import (
    CODE_LIST_MESSAGE,
    DATE_MESSAGE,
    DURATION_MESSAGE,
    FREE_TEXT_MESSAGE,
    RegistrationAnswers,
    choose_one_of,
)

Date = Annotated[str | None, said(DATE_MESSAGE)]
FreeText = Annotated[str | None, said(FREE_TEXT_MESSAGE)]
Codes = Annotated[list[str] | None, said(CODE_LIST_MESSAGE)]


def _code(codes: tuple[str, ...]) -> msgspec.Meta:
    return said(choose_one_of(codes))


class RegistrationBody(Body):
    """The registration form's answers; a left-out answer is None."""

    contact_date: Date = None
    duration_minutes: Annotated[int | None, said(DURATION_MESSAGE)] = None
    contact_type: Annotated[str | None, _code(CONTACT_TYPES)] = None
    first_or_followup: Annotated[str | None, _code(FIRST_OR_FOLLOWUP)] = None
    contact_seeker: Annotated[str | None, _code(CONTACT_SEEKERS)] = None
    referral: Annotated[str | None, _code(REFERRALS)] = None
    referral_other: FreeText = None
    support: Codes = None
    advised_help: Codes = None
    advised_help_other: FreeText = None

    def answers(self) -> RegistrationAnswers:
        """The typed answers, for registration/validation.py's rules."""
        return RegistrationAnswers(**msgspec.structs.asdict(self))
