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
    # Issue 17: the visitor's safety answer in the chat header, and the message box.
    "chat.safety.safe": "Bezoeker: kan veilig chatten",
    "chat.safety.unsure": "Bezoeker: niet zeker of het veilig is",
    "chat.safety.unsafe": "Bezoeker: niet veilig om te chatten",
    "chat.safety.hint": "Houd het kort en wijs op 'Snel weg' (of twee keer Esc).",
    "chatbox.title": "Berichten",
    "chatbox.empty": "Er wachten geen berichten.",
    "chatbox.waiting": "wacht {age}",
    "chatbox.age.m": "{n} min",
    "chatbox.age.h": "{n} u",
    "chatbox.age.d": "{n} d",
    "chatbox.follow_up": "reactie op ons antwoord",
    "chatbox.mine": "door jou opgepakt",
    "chatbox.claim": "Oppakken",
    "chatbox.open": "Openen",
    "chatbox.visitor": "Bezoeker",
    "chatbox.answer": "Je antwoord",
    "chatbox.send": "Verstuur antwoord",
    "chatbox.close": "Sluiten",
    "chatbox.empty_answer": "Schrijf eerst een antwoord.",
    "chatbox.sent": "Antwoord verstuurd. De registratie staat bij de openstaande registraties.",
    "chatbox.taken": "Een collega heeft dit bericht al opgepakt.",
    "chatbox.not_on_shift": "Berichten oppakken kan alleen tijdens je dienst.",
    "chatbox.gone": "Dit bericht is er niet meer: de bezoeker heeft het gesloten of het is gewist.",
    "chatbox.thread": "Bericht {audience}",
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
    # Issue 17: the visitor's safety answer in the chat header, and the message box.
    "chat.safety.safe": "Visitor: can chat safely",
    "chat.safety.unsure": "Visitor: not sure it is safe",
    "chat.safety.unsafe": "Visitor: not safe to chat",
    "chat.safety.hint": "Keep it short and point to 'Quick exit' (or Esc twice).",
    "chatbox.title": "Messages",
    "chatbox.empty": "No messages are waiting.",
    "chatbox.waiting": "waiting {age}",
    "chatbox.age.m": "{n} min",
    "chatbox.age.h": "{n} h",
    "chatbox.age.d": "{n} d",
    "chatbox.follow_up": "reply to our answer",
    "chatbox.mine": "picked up by you",
    "chatbox.claim": "Pick up",
    "chatbox.open": "Open",
    "chatbox.visitor": "Visitor",
    "chatbox.answer": "Your answer",
    "chatbox.send": "Send answer",
    "chatbox.close": "Close",
    "chatbox.empty_answer": "Please write an answer first.",
    "chatbox.sent": "Answer sent. The registration is with the pending registrations.",
    "chatbox.taken": "A colleague has already picked up this message.",
    "chatbox.not_on_shift": "You can pick up messages only during your shift.",
    "chatbox.gone": "This message is gone: the visitor closed it or it was deleted.",
    "chatbox.thread": "Message {audience}",
}
