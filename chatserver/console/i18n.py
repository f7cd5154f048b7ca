"""The staff pages' texts: one catalogue per language, Dutch first.

The language is ``?lang=nl|en`` when given, else the best of Accept-Language, else Dutch.
Registration codes keep their Dutch labels from registration/codes.py; English labels are
here. ``JS_KEYS`` are the texts the console's script needs (sent as a JSON data block).
"""

from __future__ import annotations

from typing import Final

from chatserver.console.chat_texts import CHAT_EN, CHAT_NL
from chatserver.console.report_texts import REPORT_EN, REPORT_NL
from chatserver.console.roster_texts import ROSTER_EN, ROSTER_NL
from registration.codes import FIELD_LABELS, LABELS
from registration.validation import (
    EARLIEST_DATE,
    IDENTIFYING_TEXT_MESSAGE,
    MAX_DURATION_MINUTES,
    MAX_FREE_TEXT,
)

LANGUAGES: Final = ("nl", "en")
DEFAULT_LANGUAGE: Final = "nl"

NL: Final[dict[str, str]] = {
    "app": "Nabij",
    "console": "Console",
    "skip": "Naar de inhoud",
    "form.expired": "het formulier is verlopen; laad de pagina opnieuw.",
    "page.forbidden": "deze pagina is alleen voor coördinatoren; je console staat op /console.",
    "login.title": "Inloggen",
    "login.username": "Gebruikersnaam",
    "login.password": "Wachtwoord",
    "login.submit": "Inloggen",
    "login.failed": "Gebruikersnaam of wachtwoord klopt niet.",
    "login.throttled": "Te veel pogingen. Wacht een kwartier en probeer het opnieuw.",
    "logout": "Uitloggen",
    "password.title": "Wachtwoord wijzigen",
    "password.current": "Huidig wachtwoord",
    "password.new": "Nieuw wachtwoord",
    "password.submit": "Wijzigen",
    "password.done": "Je wachtwoord is gewijzigd. Andere apparaten zijn uitgelogd.",
    "nav.console": "Console",
    "nav.quick_replies": "Snelle antwoorden",
    "nav.password": "Wachtwoord",
    "shift.on": "Je hebt nu dienst.",
    "shift.off": "Je hebt nu geen dienst: buiten je dienst kun je niet beschikbaar zijn.",
    "available": "Beschikbaar voor nieuwe chats",
    "mute": "Geluid uit",
    "queue.title": "Wachtrij",
    "queue.empty": "Niemand wacht.",
    "queue.take": "Neem deze chat",
    "queue.waiting": "wacht {m} min",
    "chats.title": "Gesprekken",
    "chats.none": "Geen actieve gesprekken.",
    "chat.message": "Bericht",
    "chat.send": "Versturen",
    "chat.end": "Gesprek beëindigen",
    "chat.typing": "De bezoeker typt…",
    "chat.ended": "Het gesprek is beëindigd.",
    "chat.transfer": "Overdragen",
    "chat.transfer_to": "Aan collega",
    "chat.transfer_any": "Wie vrij is",
    "chat.note": "Korte notitie (geen namen of nummers)",
    "chat.alert": "Mentor inroepen",
    "chat.alert_sent": "Je melding staat bij de coördinatoren die nu online zijn ({n}).",
    "chat.alert_nobody": (
        "Er is nu geen coördinator online. Je melding blijft staan tot iemand hem oppakt;"
        " bel bij gevaar je mentor of 112."
    ),
    "chat.alert_stored": "Je melding blijft staan tot een coördinator hem oppakt.",
    "chat.block": "Bezoeker blokkeren",
    "chat.block_address": "Ook het adres, 24 uur (kan een opvang of bibliotheek zijn)",
    "chat.block_confirm": "Het gesprek beëindigen en deze bezoeker 24 uur blokkeren?",
    "chat.blocked": "De bezoeker is geblokkeerd.",
    "chat.transferred_in": "Overgedragen door {name}. Notitie: {note}",
    "chat.quick": "Snel antwoord",
    "chat.you": "Jij",
    "chat.expert": "Expert",
    "chat.waited": "wachtte {m} min",
    "chat.visitor": "Bezoeker",
    "alerts.title": "Meldingen van experts",
    "alerts.none": "Geen meldingen.",
    "alerts.ack": "Ik pak dit op",
    "alerts.closed_by": "{name} pakt de melding van {expert} op.",
    "alerts.closed_by_you": "Je pakt de melding van {expert} op.",
    "alerts.gone": "Deze melding is al opgepakt of verlopen.",
    "alerts.mine": "Jouw meldingen",
    "alerts.waiting": "Wacht op een coördinator",
    "alerts.picked_up": "Opgepakt door {name}",
    "alerts.no_longer_open": "Niet meer open (opgepakt of verlopen)",
    "alerts.picked_up_notice": "{name} pakt je melding op.",
    "overview.title": "Alle gesprekken",
    "overview.none": "Er lopen geen gesprekken.",
    "alerts.watch": "Meelezen",
    "alerts.takeover": "Overnemen",
    "chat.watching": "Je leest mee; alleen de expert schrijft.",
    "chat.stop_watching": "Stop met meelezen",
    "chat.taken_over": "Een coördinator heeft een gesprek van je overgenomen.",
    "reg.pending": "Te registreren",
    "reg.none": "Niets te registreren.",
    "reg.recent": "Recent geregistreerd",
    "reg.open": "Registreren",
    "reg.edit": "Corrigeren",
    "reg.new": "Contact registreren",
    "reg.title": "Registratie",
    "reg.save": "Opslaan",
    "reg.cancel": "Sluiten",
    "reg.saved": "Registratie opgeslagen.",
    "reg.fix": "Verbeter de gemarkeerde velden.",
    "reg.warn": "Vul niets in waarmee iemand herkend kan worden: geen namen, nummers of adressen.",
    "reg.none_chosen": "— niet ingevuld —",
    "qr.title": "Snelle antwoorden",
    "qr.name": "Titel",
    "qr.body": "Tekst",
    "qr.add": "Toevoegen",
    "qr.delete": "Verwijderen",
    "qr.none": "Nog geen snelle antwoorden.",
    "error": "Er ging iets mis; probeer het opnieuw.",
    "error.not_on_shift": "Je hebt nu geen dienst.",
    "error.taken": "Een collega was je voor.",
    "error.at_capacity": "Je hebt al zoveel chats als je aankunt.",
    "error.unavailable": "Die collega kan het gesprek nu niet aannemen.",
    "error.unauthorized": "Je bent uitgelogd.",
    "error.forbidden": "Dit mag je niet (meer) wijzigen.",
    "audience.victim": "Slachtoffer",
    "audience.perpetrator": "Pleger",
    "audience.relative": "Naaste",
    "audience.professional": "Professional",
    "audience.unknown": "Onbekend",
    "connection.lost": "Verbinding verbroken; opnieuw verbinden…",
    "title.new": "Nieuw",
    "presence.on": "Je bent beschikbaar: nieuwe chats kunnen naar jou.",
    "presence.off": "Je bent niet beschikbaar: je krijgt geen nieuwe chats.",
    "presence.on_off_shift": (
        "Je staat op beschikbaar, maar buiten je dienst krijg je geen nieuwe chats."
    ),
    "presence.site_unstaffed": (
        "De website zegt nu dat er niemand beschikbaar is: bezoekers kunnen geen chat beginnen."
    ),
    "presence.site_closed": "De website toont de chat nu als gesloten: er is nu geen dienst.",
    "session.ended": "Je bent afgemeld. Je gaat naar de aanmeldpagina…",
    "session.deactivated": "Je account is uitgeschakeld. Je gaat naar de aanmeldpagina…",
    "session.role_lower": (
        "Je rol is nu {role}. Meldingen en het overzicht voor coördinatoren zijn weg."
    ),
    "session.role_higher": "Je rol is nu {role}. Herlaad de pagina om alles te zien.",
    "session.profile": "Je instellingen zijn gewijzigd: {capacity} chats tegelijk.",
    "session.role.expert": "ervaringsdeskundige",
    "session.role.coordinator": "coördinator",
    "session.role.admin": "beheerder",
    "chat.ended.lost": "De chatopslag ging verloren: dit gesprek is beëindigd.",
    "chats.lost": (
        "De chatopslag is opnieuw gestart: gesprekken die daarbij verloren gingen zijn beëindigd."
    ),
    **ROSTER_NL,
    **REPORT_NL,
    **CHAT_NL,
}

EN: Final[dict[str, str]] = {
    "app": "Nabij",
    "console": "Console",
    "skip": "Skip to content",
    "form.expired": "the form has expired; reload the page.",
    "page.forbidden": "this page is for coordinators only; your console is at /console.",
    "login.title": "Sign in",
    "login.username": "Username",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.failed": "Wrong username or password.",
    "login.throttled": "Too many attempts. Wait 15 minutes and try again.",
    "logout": "Sign out",
    "password.title": "Change password",
    "password.current": "Current password",
    "password.new": "New password",
    "password.submit": "Change",
    "password.done": "Your password has been changed. Other devices were signed out.",
    "nav.console": "Console",
    "nav.quick_replies": "Quick replies",
    "nav.password": "Password",
    "shift.on": "You are on shift now.",
    "shift.off": "You are not on shift now: outside a shift you cannot be available.",
    "available": "Available for new chats",
    "mute": "Sound off",
    "queue.title": "Waiting",
    "queue.empty": "Nobody is waiting.",
    "queue.take": "Take this chat",
    "queue.waiting": "waiting {m} min",
    "chats.title": "Conversations",
    "chats.none": "No active conversations.",
    "chat.message": "Message",
    "chat.send": "Send",
    "chat.end": "End conversation",
    "chat.typing": "The visitor is typing…",
    "chat.ended": "The conversation has ended.",
    "chat.transfer": "Hand over",
    "chat.transfer_to": "To colleague",
    "chat.transfer_any": "Whoever is free",
    "chat.note": "Short note (no names or numbers)",
    "chat.alert": "Call in a mentor",
    "chat.alert_sent": "Your alert is with the coordinators online now ({n}).",
    "chat.alert_nobody": (
        "No coordinator is online now. Your alert stays open until someone picks it up;"
        " in danger, phone your mentor or 112."
    ),
    "chat.alert_stored": "Your alert stays open until a coordinator picks it up.",
    "chat.block": "Block visitor",
    "chat.block_address": "Also the address, 24 h (may be a shelter or library)",
    "chat.block_confirm": "End the conversation and block this visitor for 24 hours?",
    "chat.blocked": "The visitor has been blocked.",
    "chat.transferred_in": "Handed over by {name}. Note: {note}",
    "chat.quick": "Quick reply",
    "chat.you": "You",
    "chat.expert": "Expert",
    "chat.waited": "waited {m} min",
    "chat.visitor": "Visitor",
    "alerts.title": "Alerts from experts",
    "alerts.none": "No alerts.",
    "alerts.ack": "I'll pick this up",
    "alerts.closed_by": "{name} picks up the alert from {expert}.",
    "alerts.closed_by_you": "You pick up the alert from {expert}.",
    "alerts.gone": "This alert was picked up already or has expired.",
    "alerts.mine": "Your alerts",
    "alerts.waiting": "Waiting for a coordinator",
    "alerts.picked_up": "Picked up by {name}",
    "alerts.no_longer_open": "No longer open (picked up or expired)",
    "alerts.picked_up_notice": "{name} picks up your alert.",
    "overview.title": "All conversations",
    "overview.none": "No conversations are running.",
    "alerts.watch": "Read along",
    "alerts.takeover": "Take over",
    "chat.watching": "You are reading along; only the expert writes.",
    "chat.stop_watching": "Stop reading along",
    "chat.taken_over": "A coordinator has taken over one of your conversations.",
    "reg.pending": "To register",
    "reg.none": "Nothing to register.",
    "reg.recent": "Recently registered",
    "reg.open": "Register",
    "reg.edit": "Correct",
    "reg.new": "Register a contact",
    "reg.title": "Registration",
    "reg.save": "Save",
    "reg.cancel": "Close",
    "reg.saved": "Registration saved.",
    "reg.fix": "Correct the marked fields.",
    "reg.warn": "Enter nothing that could identify someone: no names, numbers or addresses.",
    "reg.none_chosen": "— not answered —",
    "qr.title": "Quick replies",
    "qr.name": "Title",
    "qr.body": "Text",
    "qr.add": "Add",
    "qr.delete": "Delete",
    "qr.none": "No quick replies yet.",
    "error": "Something went wrong; try again.",
    "error.not_on_shift": "You are not on shift now.",
    "error.taken": "A colleague was faster.",
    "error.at_capacity": "You already have as many chats as you can take.",
    "error.unavailable": "That colleague cannot take the conversation now.",
    "error.unauthorized": "You have been signed out.",
    "error.forbidden": "You may not change this (any more).",
    "audience.victim": "Victim",
    "audience.perpetrator": "Perpetrator",
    "audience.relative": "Relative",
    "audience.professional": "Professional",
    "audience.unknown": "Unknown",
    "connection.lost": "Connection lost; reconnecting…",
    "title.new": "New",
    "presence.on": "You are available: new chats can come to you.",
    "presence.off": "You are not available: you get no new chats.",
    "presence.on_off_shift": (
        "You are set to available, but outside your shift you get no new chats."
    ),
    "presence.site_unstaffed": (
        "The website says nobody is available now: visitors cannot start a chat."
    ),
    "presence.site_closed": "The website shows the chat as closed now: nobody is on shift.",
    "session.ended": "You have been signed out. Going to the sign-in page…",
    "session.deactivated": "Your account was switched off. Going to the sign-in page…",
    "session.role_lower": "Your role is now {role}. Coordinators' alerts and overview are gone.",
    "session.role_higher": "Your role is now {role}. Reload the page to see everything.",
    "session.profile": "Your settings were changed: {capacity} chats at a time.",
    "session.role.expert": "expert",
    "session.role.coordinator": "coordinator",
    "session.role.admin": "admin",
    "chat.ended.lost": "The chat store was lost: this conversation has ended.",
    "chats.lost": "The chat store was restarted: conversations lost with it have ended.",
    **ROSTER_EN,
    **REPORT_EN,
    **CHAT_EN,
}

EN_FIELD_LABELS: Final[dict[str, str]] = {
    "contact_date": "Date",
    "duration_minutes": "Duration (minutes)",
    "contact_type": "Type of contact",
    "first_or_followup": "First or follow-up contact",
    "contact_seeker": "Contact seeker",
    "referral": "Came in through",
    "referral_other": "Came in through, other",
    "support": "Support given",
    "advised_help": "Help advised",
    "advised_help_other": "Help advised, other",
}

EN_LABELS: Final[dict[str, dict[str, str]]] = {
    "contact_type": {
        "chat": "Chat",
        "phone": "Phone",
        "whatsapp": "WhatsApp",
        "face_to_face": "Face to face",
        "social_media": "Social media",
        "email": "E-mail",
        "sms": "Text message",
        "other": "Other",
    },
    "first_or_followup": {"first": "First contact", "followup": "Follow-up", "unknown": "Unknown"},
    "contact_seeker": {
        "victim": "Victim",
        "perpetrator": "Perpetrator",
        "parent_of_victim": "Parent of a victim",
        "professional": "Other professional",
        "other": "Other",
    },
    "referral": {
        "flyer_victims": "Flyer for victims",
        "card_perpetrators": "Give-away card for perpetrators",
        "professional": "Advice of a professional",
        "website": "Website",
        "acquaintance": "Acquaintance",
        "other": "Other",
    },
    "support": {
        "listening_ear": "Listening ear",
        "advice_personal": "Advice on personal action",
        "advice_professional_help": "Advice to seek professional help",
    },
    "advised_help": {
        "ggz": "Mental-health care (GGZ)",
        "police": "Police",
        "psychological": "Psychological help",
        "gp": "GP",
        "veilig_thuis": "Veilig Thuis",
        "other": "Other",
    },
}

#: Dutch for the field messages the registration API can return to the console's form
#: (it answers in English for API clients). Unknown messages are shown as sent.
NL_API_MESSAGES: Final[dict[str, str]] = {
    "This field is required.": "Dit veld is verplicht.",
    "Write the date as YYYY-MM-DD.": "Schrijf de datum als JJJJ-MM-DD.",
    "This date does not exist.": "Deze datum bestaat niet.",
    "The date cannot be in the future.": "De datum kan niet in de toekomst liggen.",
    f"The date cannot be before {EARLIEST_DATE.isoformat()}.": (
        f"De datum kan niet voor {EARLIEST_DATE.isoformat()} liggen."
    ),
    "Give the duration as a whole number of minutes.": "Geef de duur in hele minuten.",
    f"Give a duration from 0 to {MAX_DURATION_MINUTES} minutes.": (
        f"Geef een duur van 0 tot {MAX_DURATION_MINUTES} minuten."
    ),
    "Only fill this in when the support given includes advice to seek professional help.": (
        "Vul dit alleen in als je hebt geadviseerd professionele hulp te zoeken."
    ),
    "Required when 'came in through' is 'other'; describe it briefly.": (
        "Verplicht als 'binnengekomen via' 'anders' is; beschrijf het kort."
    ),
    "Only fill this in when 'came in through' is 'other'.": (
        "Vul dit alleen in als 'binnengekomen via' 'anders' is."
    ),
    "Required when 'help advised' has 'other'; describe it briefly.": (
        "Verplicht als bij 'geadviseerde hulp' 'anders' is aangevinkt; beschrijf het kort."
    ),
    "Only fill this in when 'help advised' has 'other'.": (
        "Vul dit alleen in als bij 'geadviseerde hulp' 'anders' is aangevinkt."
    ),
    f"Use at most {MAX_FREE_TEXT} characters.": f"Gebruik hoogstens {MAX_FREE_TEXT} tekens.",
    IDENTIFYING_TEXT_MESSAGE: (
        "Dit lijkt op een e-mailadres of telefoonnummer. Noteer niets waarmee iemand"
        " herkend kan worden."
    ),
}

CATALOGUES: Final = {"nl": NL, "en": EN}

#: Texts the console script shows (a subset of the catalogue).
JS_PREFIXES: Final = (
    "queue.",
    "presence.",
    "session.",
    "chat",
    "error",
    "audience.",
    "reg.",
    "alerts.",
    "title.",
    "connection.",
    "overview.",
    "shift.",
)


def pick_language(query_lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` when it names a catalogue, else the first known Accept-Language, else Dutch."""
    if query_lang in LANGUAGES:
        return str(query_lang)
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def texts(lang: str) -> dict[str, str]:
    """The catalogue of ``lang``."""
    return CATALOGUES.get(lang, NL)


def js_texts(lang: str) -> dict[str, str]:
    """The part of the catalogue the console script needs (``api:`` + message: a translation)."""
    chosen = {k: v for k, v in texts(lang).items() if k.startswith(JS_PREFIXES)}
    if lang == "nl":
        chosen.update({f"api:{english}": dutch for english, dutch in NL_API_MESSAGES.items()})
    return chosen


def field_label(lang: str, field: str) -> str:
    """The label of a registration field."""
    return (EN_FIELD_LABELS if lang == "en" else FIELD_LABELS)[field]


def code_labels(lang: str, field: str) -> dict[str, str]:
    """Code → label for one coded registration field, in code-list order."""
    return dict((EN_LABELS if lang == "en" else LABELS)[field])
