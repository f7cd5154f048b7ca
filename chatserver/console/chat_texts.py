"""Texts of the console's chats, registration form and alerts added for the night shift.

Kept apart from i18n.py (as roster_texts.py is) so these words sit together; i18n.py
merges them into its ``NL`` and ``EN`` catalogues. Every key starts with one of its
``JS_PREFIXES``, so the console script gets them.
"""

from __future__ import annotations

from typing import Final

CHAT_NL: Final[dict[str, str]] = {
    "chat.end_confirm": "Dit gesprek beëindigen? De bezoeker kan dan niet meer schrijven.",
    "chat.ended.visitor_ended": "De bezoeker heeft het gesprek beëindigd.",
    "chat.ended.visitor_left": (
        "De bezoeker is weg: de verbinding bleef langer verbroken dan de wachttijd."
    ),
    "chat.ended.visitor_quick_exit": "De bezoeker heeft op 'Snel weg' gedrukt.",
    "chat.ended.expert_ended": "Het gesprek is beëindigd door de expert.",
    "chat.ended.mine": "Je hebt het gesprek beëindigd.",
    "chat.ended.closed": "Het gesprek is gesloten: er was niemand beschikbaar.",
    "chat.ended.blocked": "Het gesprek is beëindigd en de bezoeker geblokkeerd.",
    "chat.transferred_to": "Overgedragen aan {name}.",
    "chat.lang.nl": "Nederlands",
    "chat.lang.en": "Engels",
    "chat.system": "Nabij",
    "chat.register": "Registreer dit contact",
    "chat.registered": "Dit contact is geregistreerd.",
    "reg.required_hint": "verplicht",
    "reg.advised_hint": (
        "Alleen bij 'Advies om professionele hulp te zoeken': een vinkje hier zet dat ook aan."
    ),
    "reg.advised_needs_professional": (
        "Geadviseerde hulp hoort bij 'Advies om professionele hulp te zoeken': vink dat weer"
        " aan of haal de vinkjes hier weg."
    ),
    "reg.visitor_chose": "De bezoeker koos: {audience}.",
    "alerts.chat": "{audience} {number} · loopt {m} min",
    "alerts.chat_gone": "gesprek afgelopen",
}

CHAT_EN: Final[dict[str, str]] = {
    "chat.end_confirm": "End this conversation? The visitor can then no longer write.",
    "chat.ended.visitor_ended": "The visitor ended the conversation.",
    "chat.ended.visitor_left": (
        "The visitor has gone: the connection stayed lost for longer than the grace period."
    ),
    "chat.ended.visitor_quick_exit": "The visitor pressed 'Quick exit'.",
    "chat.ended.expert_ended": "The expert ended the conversation.",
    "chat.ended.mine": "You ended the conversation.",
    "chat.ended.closed": "The conversation was closed: nobody was available.",
    "chat.ended.blocked": "The conversation was ended and the visitor blocked.",
    "chat.transferred_to": "Handed over to {name}.",
    "chat.lang.nl": "Dutch",
    "chat.lang.en": "English",
    "chat.system": "Nabij",
    "chat.register": "Register this contact",
    "chat.registered": "This contact has been registered.",
    "reg.required_hint": "required",
    "reg.advised_hint": (
        "Only with 'Advice to seek professional help': ticking one here ticks that too."
    ),
    "reg.advised_needs_professional": (
        "Help advised goes with 'Advice to seek professional help': tick that again or"
        " untick the boxes here."
    ),
    "reg.visitor_chose": "The visitor chose: {audience}.",
    "alerts.chat": "{audience} {number} · running {m} min",
    "alerts.chat_gone": "conversation over",
}
