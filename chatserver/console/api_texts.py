"""Dutch for the messages of the roster, team and request API (it answers in English).

The pages show an API message in their language: an exact match from
``NL_ROSTER_API_MESSAGES``, else the first of ``NL_ROSTER_API_TEMPLATES`` it fits (a
``{name}`` stands for a value that comes back unchanged), else as sent. The pages' script
follows the same rule (static/console/page.js ``translate``); server-rendered pages call
``api_message``.
"""

from __future__ import annotations

import re
from typing import Final

from staffing.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

#: Dutch for the fixed field messages of the roster and team API (it answers in English).
#: Messages with values in them (days, codes) are shown as sent.
NL_ROSTER_API_MESSAGES: Final[dict[str, str]] = {
    "required": "Verplicht.",
    "Choose an expert.": "Kies een expert.",
    "No active staff member with this id.": "Kies een actieve expert.",
    "This overlaps another shift of the same person.": (
        "Dit overlapt met een andere dienst van dezelfde persoon."
    ),
    "Give a time with a time zone.": "Geef een tijd met tijdzone.",
    "The shift must end after it starts.": "De dienst moet eindigen na het begin.",
    "A shift can last at most 24 hours.": "Een dienst duurt hoogstens 24 uur.",
    "The end must differ from the start.": "Het einde moet anders zijn dan het begin.",
    "Choose at least one day of the week.": "Kies minstens één dag van de week.",
    "Give hours and minutes only, like 19:00.": "Geef alleen uren en minuten, zoals 19:00.",
    "Give a date like 2026-12-01.": "Geef een datum.",
    "The last day must not be before the first.": "De laatste dag mag niet voor de eerste liggen.",
    "The last day must not be before the pattern's start.": (
        "De laatste dag mag niet voor de eerste dag van de vaste dienst liggen."
    ),
    "Give weekdays, a start and an end.": "Kies dagen, een begin en een einde.",
    "The shift no longer exists.": "Deze dienst bestaat niet meer.",
    "This username is already taken.": "Deze gebruikersnaam bestaat al.",
    "Use 3 to 64 characters: lowercase letters, digits, '.', '_' or '-'.": (
        "Gebruik 3 tot 64 tekens: kleine letters, cijfers, '.', '_' of '-'."
    ),
    "Use 1 to 64 characters, not only spaces.": "Gebruik 1 tot 64 tekens, niet alleen spaties.",
    "Use a whole number of chats from 1 to 10.": "Gebruik een heel getal van 1 tot 10.",
    "Use a whole number of seconds from 0 to 3600.": "Gebruik een heel getal van 0 tot 3600.",
    "Choose at least one language.": "Kies minstens één taal.",
    "Required text.": "Verplicht.",
    f"Use at least {MIN_PASSWORD_LENGTH} characters.": (
        f"Gebruik minstens {MIN_PASSWORD_LENGTH} tekens."
    ),
    f"Use at most {MAX_PASSWORD_LENGTH} characters.": (
        f"Gebruik hoogstens {MAX_PASSWORD_LENGTH} tekens."
    ),
    "The password cannot be only spaces.": "Het wachtwoord mag niet alleen uit spaties bestaan.",
}


#: Dutch for the roster and team API's messages with values in them. ``{name}`` stands
#: for a value (dates, numbers, codes, what was typed) and comes back unchanged.
NL_ROSTER_API_TEMPLATES: Final[dict[str, str]] = {
    "Overlaps other shifts of this person on {days}.": (
        "Overlapt met andere diensten van deze persoon op {days}."
    ),
    "Overlaps other shifts of this person on {days} and {n} more.": (
        "Overlapt met andere diensten van deze persoon op {days} en nog {n} dagen."
    ),
    "{value} is not a date like 2026-12-01.": "{value} is geen datum zoals 2026-12-01.",
    "{value} is not a time; write it like 19:00.": "{value} is geen tijd; schrijf het als 19:00.",
    "Unknown day {value}; use {codes}.": "Onbekende dag {value}; gebruik {codes}.",
    "Choose one of: {codes}.": "Kies een van: {codes}.",
    "Unknown focus {value}; use {codes}.": "Onbekend aandachtsgebied {value}; gebruik {codes}.",
    "Use 1 to {n} characters, not only spaces.": "Gebruik 1 tot {n} tekens, niet alleen spaties.",
    "Use at most {n} characters.": "Gebruik hoogstens {n} tekens.",
    "Use 1 to {n} characters.": "Gebruik 1 tot {n} tekens.",
    "There are already {n} quick replies; remove one first.": (
        "Er zijn al {n} snelle antwoorden; verwijder er eerst een."
    ),
    "Give a period of at most {n} days, from ≤ to.": "Kies een periode van hoogstens {n} dagen.",
}

#: Fixed messages the roster, team and request API gives besides the field messages above.
NL_ROSTER_API_MESSAGES.update(
    {
        "A pattern cannot start in the past.": (
            "Een vaste dienst kan niet in het verleden beginnen."
        ),
        "There is no such pattern.": "Deze vaste dienst bestaat niet (meer).",
        "No such pattern.": "Deze vaste dienst bestaat niet (meer).",
        "No such shift.": "Deze dienst bestaat niet (meer).",
        "No such staff member.": "Dit account bestaat niet.",
        "Unknown field.": "Onbekend veld.",
        "Some fields need a correction.": "Verbeter de gemarkeerde velden.",
        "You cannot deactivate yourself.": "Je kunt jezelf niet deactiveren.",
        "Only an admin can manage admins.": "Alleen een beheerder kan beheerders beheren.",
        "Choose one of your own shifts.": "Kies een van je eigen diensten.",
        "This shift has already started.": "Deze dienst is al begonnen.",
        "Choose drop or swap.": "Kies laten vallen of overdragen.",
        "A swap names a colleague; a drop names nobody.": (
            "Bij overdragen kies je een collega; bij laten vallen niemand."
        ),
        "This request has been decided already.": "Over dit verzoek is al beslist.",
        "This cannot be changed here.": "Dit kun je hier niet wijzigen.",
        "Give text.": "Vul tekst in.",
        "Give a list of codes.": "Kies uit de lijst.",
        "This account is not active.": "Dit account is niet actief.",
        "This is not your current password.": "Dit is niet je huidige wachtwoord.",
        "This link has expired or was used already.": "Deze link is verlopen of al gebruikt.",
        "Sign in first.": "Log eerst in.",
        "Send {user_id, starts_at, ends_at}.": "Kies een expert, een begin en een einde.",
        "Unknown fields.": "Onbekende velden.",
        "Give an id.": "Kies er een uit de lijst.",
        "Text only.": "Alleen tekst.",
        "No such pending request.": "Dit verzoek staat niet (meer) open.",
        "This request cannot be carried out.": "Dit verzoek kan niet worden uitgevoerd.",
        "Remove the NUL character.": "Haal het NUL-teken weg.",
    }
)


def translate(message: str, exact: dict[str, str], templates: dict[str, str]) -> str:
    """``message`` from ``exact``, else from the first of ``templates`` it fits, else as is.

    Longer templates are tried first, so "on {days} and {n} more." wins over "on {days}.".
    The same rule runs in the pages' script (static/console/page.js ``translate``).
    """
    if message in exact:
        return exact[message]
    for english in sorted(templates, key=len, reverse=True):
        names: list[str] = []

        def slot(found: re.Match[str], names: list[str] = names) -> str:
            names.append(found.group(1))
            return "(.+?)"

        pattern = re.sub(r"\\\{(\w+)\\\}", slot, re.escape(english))
        if matched := re.fullmatch(pattern, message):
            values = dict(zip(names, matched.groups(), strict=True))
            return _fill(templates[english], values)
    return message


def _fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``{name}`` replaced by ``values[name]``."""
    return re.sub(r"\{(\w+)\}", lambda found: values[found.group(1)], template)


def api_message(lang: str, message: str) -> str:
    """An API message in the page language (Dutch when the tables have it)."""
    if lang != "nl":
        return message
    return translate(message, NL_ROSTER_API_MESSAGES, NL_ROSTER_API_TEMPLATES)
