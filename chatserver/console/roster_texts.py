"""Texts of the roster, team, my-shifts, audit and password-link pages (part of the catalogue).

Kept apart from i18n.py so the pages' words sit together; i18n.py merges them into its
``NL`` and ``EN`` catalogues. Keys with the prefixes in ``PAGE_PREFIXES`` go to the pages'
scripts as a JSON data block.
"""

from __future__ import annotations

import re
from typing import Final

from staffing.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

PAGE_PREFIXES: Final = ("roster.", "team.", "my.", "audit.", "day.", "common.")

ROSTER_NL: Final[dict[str, str]] = {
    "nav.roster": "Rooster",
    "nav.team": "Team",
    "nav.reports": "Rapportage",
    "nav.my_shifts": "Mijn diensten",
    "nav.audit": "Logboek",
    "common.save": "Opslaan",
    "common.delete": "Verwijderen",
    "common.cancel": "Annuleren",
    "common.fix": "Verbeter de gemarkeerde velden.",
    "common.saved": "Opgeslagen.",
    "common.error": "Er ging iets mis; probeer het opnieuw.",
    "common.none": "Niets.",
    "common.confirm": "Weet je het zeker?",
    "roster.title": "Rooster",
    "roster.week": "Week",
    "roster.month": "Maand",
    "roster.prev": "Vorige",
    "roster.next": "Volgende",
    "roster.today": "Vandaag",
    "roster.period": "Periode",
    "roster.no_shifts": "Geen diensten.",
    "roster.new_shift": "Dienst toevoegen",
    "roster.edit_shift": "Dienst wijzigen",
    "roster.expert": "Expert",
    "roster.start": "Begin",
    "roster.end": "Einde",
    "roster.add": "Toevoegen",
    "roster.edit": "Wijzigen",
    "roster.deleted": "Dienst verwijderd.",
    "roster.shift_saved": "Dienst opgeslagen.",
    "roster.patterns": "Vaste diensten (elke week)",
    "roster.new_pattern": "Vaste dienst toevoegen",
    "roster.weekdays": "Dagen",
    "roster.start_time": "Van",
    "roster.end_time": "Tot",
    "roster.starts_on": "Eerste dag",
    "roster.ends_on": "Laatste dag (leeg: geen einde)",
    "roster.pattern_saved": "Vaste dienst opgeslagen.",
    "roster.no_patterns": "Nog geen vaste diensten.",
    "roster.skip": "Dagen overslaan",
    "roster.skip_first": "Van dag",
    "roster.skip_last": "Tot en met dag",
    "roster.skipped": "Dagen overgeslagen: {n} diensten vervallen.",
    "roster.end_pattern": "Beëindigen",
    "roster.end_last": "Laatste dag",
    "roster.ended": "Vaste dienst beëindigd: {n} diensten vervallen.",
    "roster.until": "t/m {day}",
    "roster.chat_hours": "Chaturen (wat we aanbieden)",
    "roster.chat_hours_saved": "Chaturen opgeslagen.",
    "roster.add_row": "Regel toevoegen",
    "roster.remove_row": "Regel verwijderen",
    "roster.coverage": "Dekking komende 4 weken",
    "roster.gaps": "Gaten in de chaturen",
    "roster.no_gaps": "Geen gaten: alle chaturen zijn bezet.",
    "roster.no_chat_hours": (
        "Er zijn nog geen chaturen ingesteld, dus kan het rooster geen gaten tonen."
        " Stel ze hieronder in bij Chaturen."
    ),
    "roster.gap_slot": "Gat {range}: niemand ingeroosterd",
    "roster.warning.long": "{name}, {shift}: duurt {hours} uur (langer dan {limit}).",
    "roster.warning.overlap": (
        "{name}, {shift}: overlapt met een andere dienst van dezelfde persoon."
    ),
    "roster.confirm_delete": "De dienst van {name} op {day} ({range}) verwijderen?",
    "roster.unattended": "Diensten zonder console",
    "roster.no_unattended": "Geen.",
    "roster.warnings": "Waarschuwingen",
    "roster.no_warnings": "Geen waarschuwingen.",
    "roster.requests": "Verzoeken van experts",
    "roster.no_requests": "Geen openstaande verzoeken.",
    "roster.approve": "Goedkeuren",
    "roster.refuse": "Weigeren",
    "roster.drop": "{name} wil dienst {shift} laten vallen",
    "roster.swap": "{name} wil dienst {shift} overdragen aan {to}",
    "roster.next_day": "(volgende dag)",
    "team.title": "Team",
    "team.members": "Accounts",
    "team.username": "Gebruikersnaam",
    "team.display_name": "Weergavenaam",
    "team.role": "Rol",
    "team.focus": "Aandachtsgebied",
    "team.languages": "Talen (bijv. nl, en)",
    "team.capacity": "Chats tegelijk",
    "team.cooldown_s": "Pauze na een chat (seconden)",
    "team.active": "Actief",
    "team.inactive": "Gedeactiveerd",
    "team.new": "Expert toevoegen",
    "team.create": "Account aanmaken",
    "team.edit": "Wijzigen",
    "team.deactivate": "Deactiveren",
    "team.activate": "Activeren",
    "team.confirm_deactivate": "{name} deactiveren? Die wordt overal uitgelogd.",
    "team.confirm_activate": "{name} weer activeren?",
    "team.link": "Nieuwe wachtwoordlink",
    "team.link_once": "Geef deze link door; hij wordt maar één keer getoond en is 72 uur geldig:",
    "team.created": "Account aangemaakt.",
    "team.updated": "Account gewijzigd.",
    "team.role.expert": "Expert",
    "team.role.coordinator": "Coördinator",
    "team.role.admin": "Beheerder",
    "team.focus.victim": "Slachtoffers",
    "team.focus.perpetrator": "Plegers",
    "team.focus.relative": "Naasten",
    "team.focus.professional": "Professionals",
    "my.title": "Mijn diensten",
    "my.upcoming": "Komende diensten",
    "my.none": "Je hebt geen komende diensten.",
    "my.calendar": "Agenda-abonnement",
    "my.calendar_help": (
        "Een privélink voor de agenda op je telefoon. Een nieuwe link maakt de oude ongeldig."
    ),
    "my.calendar_issue": "Nieuwe agendalink maken",
    "my.calendar_revoke": "Agendalink intrekken",
    "my.calendar_url": "Je agendalink (maar één keer getoond)",
    "my.calendar_revoked": "De agendalink is ingetrokken.",
    "my.copy": "Kopiëren",
    "my.copied": "Gekopieerd.",
    "my.request": "Verzoek",
    "my.shift": "Dienst",
    "my.kind": "Wat wil je?",
    "my.drop": "Laten vallen",
    "my.swap": "Overdragen aan",
    "my.colleague": "Collega",
    "my.note": "Korte toelichting (optioneel)",
    "my.send": "Verzoek versturen",
    "my.sent": "Verzoek verstuurd.",
    "my.requests": "Mijn verzoeken",
    "my.no_requests": "Geen verzoeken.",
    "my.status.pending": "wacht op coördinator",
    "my.status.approved": "goedgekeurd",
    "my.status.refused": "geweigerd",
    "my.kind.drop": "laten vallen",
    "my.kind.swap": "overdragen",
    "audit.title": "Logboek",
    "audit.at": "Wanneer",
    "audit.actor": "Wie",
    "audit.action": "Wat",
    "audit.subject": "Onderwerp",
    "audit.details": "Details",
    "audit.older": "Oudere regels",
    "audit.none": "Nog geen regels.",
    "audit.zone": "Tijden in de tijdzone van het team ({zone}).",
    "audit.end": "Dit zijn alle regels.",
    "audit.system": "(systeem)",
    "audit.raw": "Ruwe regel",
    "audit.unknown": "Onbekende handeling {action} ({subject}).",
    "audit.action.shift.add": "Dienst van {who} toegevoegd: {when}.",
    "audit.action.shift.change": "Dienst van {who} gewijzigd: {when}.",
    "audit.action.shift.delete": "Dienst van {who} verwijderd: {when}.",
    "audit.action.pattern.add": (
        "Vaste dienst van {who} toegevoegd: {days} {start}\u2013{end}, vanaf {starts_on}."
    ),
    "audit.action.pattern.skip": (
        "Vaste dienst {subject}: {first} t/m {last} overgeslagen ({removed} diensten vervallen)."
    ),
    "audit.action.pattern.end": (
        "Vaste dienst {subject} beëindigd na {last} ({removed} diensten vervallen)."
    ),
    "audit.action.chat_hours.set": "Chaturen ingesteld: {hours}.",
    "audit.action.user.add": "Account van {who} aangemaakt.",
    "audit.action.user.change": "Account van {who} gewijzigd.",
    "audit.action.user.deactivate": "Account van {who} gedeactiveerd.",
    "audit.action.user.activate": "Account van {who} weer geactiveerd.",
    "audit.action.user.password_link": "Nieuwe wachtwoordlink voor {who}.",
    "audit.action.user.password_set": "{who} heeft een wachtwoord ingesteld.",
    "audit.action.calendar.issue": "Agendalink gemaakt voor {who}.",
    "audit.action.calendar.revoke": "Agendalink ingetrokken voor {who}.",
    "audit.action.shift_request.add": "Verzoek over een dienst ingediend ({subject}).",
    "audit.action.shift_request.approved": "Verzoek over een dienst goedgekeurd ({subject}).",
    "audit.action.shift_request.refused": "Verzoek over een dienst geweigerd ({subject}).",
    "audit.action.visitor.block": "Bezoeker 24 uur geblokkeerd.",
    "audit.subject.chat_hours": "chaturen",
    "audit.nobody": "(onbekend)",
    "link.title": "Wachtwoord instellen",
    "link.intro": "Kies een wachtwoord voor je account {username}.",
    "link.password": "Nieuw wachtwoord",
    "link.submit": "Wachtwoord instellen",
    "link.invalid": "Deze link is verlopen of al gebruikt. Vraag je coördinator om een nieuwe.",
    "link.done": "Je wachtwoord is ingesteld.",
    "link.login": "Naar inloggen",
    "day.mon": "ma",
    "day.tue": "di",
    "day.wed": "wo",
    "day.thu": "do",
    "day.fri": "vr",
    "day.sat": "za",
    "day.sun": "zo",
}

ROSTER_EN: Final[dict[str, str]] = {
    "nav.roster": "Roster",
    "nav.team": "Team",
    "nav.reports": "Reports",
    "nav.my_shifts": "My shifts",
    "nav.audit": "Audit log",
    "common.save": "Save",
    "common.delete": "Delete",
    "common.cancel": "Cancel",
    "common.fix": "Please correct the marked fields.",
    "common.saved": "Saved.",
    "common.error": "Something went wrong; please try again.",
    "common.none": "Nothing.",
    "common.confirm": "Are you sure?",
    "roster.title": "Roster",
    "roster.week": "Week",
    "roster.month": "Month",
    "roster.prev": "Previous",
    "roster.next": "Next",
    "roster.today": "Today",
    "roster.period": "Period",
    "roster.no_shifts": "No shifts.",
    "roster.new_shift": "Add a shift",
    "roster.edit_shift": "Change shift",
    "roster.expert": "Expert",
    "roster.start": "Start",
    "roster.end": "End",
    "roster.add": "Add",
    "roster.edit": "Change",
    "roster.deleted": "Shift deleted.",
    "roster.shift_saved": "Shift saved.",
    "roster.patterns": "Recurring shifts (every week)",
    "roster.new_pattern": "Add a recurring shift",
    "roster.weekdays": "Days",
    "roster.start_time": "From",
    "roster.end_time": "Until",
    "roster.starts_on": "First day",
    "roster.ends_on": "Last day (empty: no end)",
    "roster.pattern_saved": "Recurring shift saved.",
    "roster.no_patterns": "No recurring shifts yet.",
    "roster.skip": "Skip days",
    "roster.skip_first": "From day",
    "roster.skip_last": "Through day",
    "roster.skipped": "Days skipped: {n} shifts removed.",
    "roster.end_pattern": "End",
    "roster.end_last": "Last day",
    "roster.ended": "Recurring shift ended: {n} shifts removed.",
    "roster.until": "until {day}",
    "roster.chat_hours": "Chat hours (what we offer)",
    "roster.chat_hours_saved": "Chat hours saved.",
    "roster.add_row": "Add a row",
    "roster.remove_row": "Remove row",
    "roster.coverage": "Coverage, the coming 4 weeks",
    "roster.gaps": "Gaps in the chat hours",
    "roster.no_gaps": "No gaps: every chat hour is staffed.",
    "roster.no_chat_hours": (
        "No chat hours are set yet, so the roster cannot show gaps. Set them below under"
        " Chat hours."
    ),
    "roster.gap_slot": "Gap {range}: nobody rostered",
    "roster.warning.long": "{name}, {shift}: lasts {hours} hours (more than {limit}).",
    "roster.warning.overlap": "{name}, {shift}: overlaps another shift of the same person.",
    "roster.confirm_delete": "Delete the shift of {name} on {day} ({range})?",
    "roster.unattended": "Shifts without a console",
    "roster.no_unattended": "None.",
    "roster.warnings": "Warnings",
    "roster.no_warnings": "No warnings.",
    "roster.requests": "Requests from experts",
    "roster.no_requests": "No pending requests.",
    "roster.approve": "Approve",
    "roster.refuse": "Refuse",
    "roster.drop": "{name} asks to drop shift {shift}",
    "roster.swap": "{name} asks to hand shift {shift} to {to}",
    "roster.next_day": "(next day)",
    "team.title": "Team",
    "team.members": "Accounts",
    "team.username": "Username",
    "team.display_name": "Display name",
    "team.role": "Role",
    "team.focus": "Focus",
    "team.languages": "Languages (e.g. nl, en)",
    "team.capacity": "Chats at once",
    "team.cooldown_s": "Pause after a chat (seconds)",
    "team.active": "Active",
    "team.inactive": "Deactivated",
    "team.new": "Add an expert",
    "team.create": "Create account",
    "team.edit": "Change",
    "team.deactivate": "Deactivate",
    "team.activate": "Activate",
    "team.confirm_deactivate": "Deactivate {name}? They are signed out everywhere.",
    "team.confirm_activate": "Activate {name} again?",
    "team.link": "New password link",
    "team.link_once": "Pass this link on; it is shown only once and is valid for 72 hours:",
    "team.created": "Account created.",
    "team.updated": "Account changed.",
    "team.role.expert": "Expert",
    "team.role.coordinator": "Coordinator",
    "team.role.admin": "Admin",
    "team.focus.victim": "Victims",
    "team.focus.perpetrator": "Perpetrators",
    "team.focus.relative": "Relatives",
    "team.focus.professional": "Professionals",
    "my.title": "My shifts",
    "my.upcoming": "Upcoming shifts",
    "my.none": "You have no upcoming shifts.",
    "my.calendar": "Calendar subscription",
    "my.calendar_help": "A private link for your phone's calendar. A new link stops the old one.",
    "my.calendar_issue": "Make a new calendar link",
    "my.calendar_revoke": "Revoke the calendar link",
    "my.calendar_url": "Your calendar link (shown only once)",
    "my.calendar_revoked": "The calendar link has been revoked.",
    "my.copy": "Copy",
    "my.copied": "Copied.",
    "my.request": "Request",
    "my.shift": "Shift",
    "my.kind": "What would you like?",
    "my.drop": "Drop",
    "my.swap": "Hand over to",
    "my.colleague": "Colleague",
    "my.note": "Short note (optional)",
    "my.send": "Send request",
    "my.sent": "Request sent.",
    "my.requests": "My requests",
    "my.no_requests": "No requests.",
    "my.status.pending": "waiting for a coordinator",
    "my.status.approved": "approved",
    "my.status.refused": "refused",
    "my.kind.drop": "drop",
    "my.kind.swap": "hand over",
    "audit.title": "Audit log",
    "audit.at": "When",
    "audit.actor": "Who",
    "audit.action": "What",
    "audit.subject": "Subject",
    "audit.details": "Details",
    "audit.older": "Older entries",
    "audit.none": "No entries yet.",
    "audit.zone": "Times in the team's time zone ({zone}).",
    "audit.end": "These are all the entries.",
    "audit.system": "(system)",
    "audit.raw": "Raw entry",
    "audit.unknown": "Unknown action {action} ({subject}).",
    "audit.action.shift.add": "Shift of {who} added: {when}.",
    "audit.action.shift.change": "Shift of {who} changed: {when}.",
    "audit.action.shift.delete": "Shift of {who} deleted: {when}.",
    "audit.action.pattern.add": (
        "Recurring shift of {who} added: {days} {start}\u2013{end}, from {starts_on}."
    ),
    "audit.action.pattern.skip": (
        "Recurring shift {subject}: {first} through {last} skipped ({removed} shifts removed)."
    ),
    "audit.action.pattern.end": (
        "Recurring shift {subject} ended after {last} ({removed} shifts removed)."
    ),
    "audit.action.chat_hours.set": "Chat hours set: {hours}.",
    "audit.action.user.add": "Account of {who} created.",
    "audit.action.user.change": "Account of {who} changed.",
    "audit.action.user.deactivate": "Account of {who} deactivated.",
    "audit.action.user.activate": "Account of {who} activated again.",
    "audit.action.user.password_link": "New password link for {who}.",
    "audit.action.user.password_set": "{who} set a password.",
    "audit.action.calendar.issue": "Calendar link made for {who}.",
    "audit.action.calendar.revoke": "Calendar link revoked for {who}.",
    "audit.action.shift_request.add": "Shift request made ({subject}).",
    "audit.action.shift_request.approved": "Shift request approved ({subject}).",
    "audit.action.shift_request.refused": "Shift request refused ({subject}).",
    "audit.action.visitor.block": "Visitor blocked for 24 hours.",
    "audit.subject.chat_hours": "chat hours",
    "audit.nobody": "(unknown)",
    "link.title": "Set your password",
    "link.intro": "Choose a password for your account {username}.",
    "link.password": "New password",
    "link.submit": "Set password",
    "link.invalid": (
        "This link has expired or was used already. Ask your coordinator for a new one."
    ),
    "link.done": "Your password has been set.",
    "link.login": "Go to sign in",
    "day.mon": "Mon",
    "day.tue": "Tue",
    "day.wed": "Wed",
    "day.thu": "Thu",
    "day.fri": "Fri",
    "day.sat": "Sat",
    "day.sun": "Sun",
}

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


def page_texts(lang: str, catalogue: dict[str, str]) -> dict[str, str]:
    """The part of a catalogue the roster pages' scripts need (``api:`` + message: Dutch)."""
    chosen = {k: v for k, v in catalogue.items() if k.startswith(PAGE_PREFIXES)}
    if lang == "nl":
        chosen.update(
            {f"api:{english}": dutch for english, dutch in NL_ROSTER_API_MESSAGES.items()}
        )
        chosen.update(
            {f"api~{english}": dutch for english, dutch in NL_ROSTER_API_TEMPLATES.items()}
        )
    return chosen
