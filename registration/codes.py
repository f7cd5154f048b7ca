"""The registration's code lists (API, CSV and codebook) and their Dutch labels (UI)."""

from __future__ import annotations

from typing import Final

CONTACT_TYPES: Final = (
    "chat",
    "phone",
    "whatsapp",
    "face_to_face",
    "social_media",
    "email",
    "sms",
    "other",
)
FIRST_OR_FOLLOWUP: Final = ("first", "followup", "unknown")
CONTACT_SEEKERS: Final = ("victim", "perpetrator", "parent_of_victim", "professional", "other")
REFERRALS: Final = (
    "flyer_victims",
    "card_perpetrators",
    "professional",
    "website",
    "acquaintance",
    "other",
)
SUPPORT: Final = ("listening_ear", "advice_personal", "advice_professional_help")
ADVISED_HELP: Final = ("ggz", "police", "psychological", "gp", "veilig_thuis", "other")

#: The codes allowed per coded field.
CODES: Final[dict[str, tuple[str, ...]]] = {
    "contact_type": CONTACT_TYPES,
    "first_or_followup": FIRST_OR_FOLLOWUP,
    "contact_seeker": CONTACT_SEEKERS,
    "referral": REFERRALS,
    "support": SUPPORT,
    "advised_help": ADVISED_HELP,
}

#: Dutch labels of the fields, as the form and the codebook show them.
FIELD_LABELS: Final[dict[str, str]] = {
    "contact_date": "Datum",
    "duration_minutes": "Duur (minuten)",
    "contact_type": "Soort contact",
    "first_or_followup": "Eerste of vervolgcontact",
    "contact_seeker": "Contactzoeker",
    "referral": "Binnengekomen via",
    "referral_other": "Binnengekomen via, anders",
    "support": "Geboden ondersteuning",
    "advised_help": "Geadviseerde hulp",
    "advised_help_other": "Geadviseerde hulp, anders",
}

#: Dutch labels per field per code.
LABELS: Final[dict[str, dict[str, str]]] = {
    "contact_type": {
        "chat": "Chat",
        "phone": "Telefoon",
        "whatsapp": "WhatsApp",
        "face_to_face": "Face-to-face",
        "social_media": "Sociale media",
        "email": "E-mail",
        "sms": "Sms",
        "other": "Anders",
    },
    "first_or_followup": {
        "first": "Eerste contact",
        "followup": "Vervolgcontact",
        "unknown": "Onbekend",
    },
    "contact_seeker": {
        "victim": "Slachtoffer",
        "perpetrator": "Pleger",
        "parent_of_victim": "Ouder van slachtoffer",
        "professional": "Andere professional",
        "other": "Anders",
    },
    "referral": {
        "flyer_victims": "Flyer voor slachtoffers",
        "card_perpetrators": "Weggeefkaartje voor plegers",
        "professional": "Advies van een professional",
        "website": "Website",
        "acquaintance": "Bekende",
        "other": "Anders",
    },
    "support": {
        "listening_ear": "Luisterend oor",
        "advice_personal": "Advies over eigen handelen",
        "advice_professional_help": "Advies om professionele hulp te zoeken",
    },
    "advised_help": {
        "ggz": "GGZ",
        "police": "Politie",
        "psychological": "Psychologische hulp",
        "gp": "Huisarts",
        "veilig_thuis": "Veilig Thuis",
        "other": "Anders",
    },
}

#: The contact seeker a visitor's chat audience implies; None where the form has no match.
AUDIENCE_TO_SEEKER: Final[dict[str, str | None]] = {
    "victim": "victim",
    "perpetrator": "perpetrator",
    "professional": "professional",
    "relative": None,
    "unknown": None,
}


def label(field: str, code: str) -> str:
    """Return the Dutch label of ``code`` in ``field``, or the code itself when unknown."""
    return LABELS.get(field, {}).get(code, code)
