"""Is a text in the language it should be? Marker words of each language, and a checker.

The method: every visible text of a page (text nodes, the texts people meet in
attributes: aria-label, title, placeholder, alt, button values; option texts; the page
title; the texts a page's script shows, including confirm dialogs) is split into words.
A Dutch page may hold no word that is only English, an English page no word that is only
Dutch. The lists below hold common words of each language that the other language does
not have (so "is", "in", "over", "team", "chat", "expert" are in neither), plus the words
of Nabij's own texts. A whole untranslated sentence always carries several of them
("Bram: Lasts 8 hours (more than 6)." has lasts, hours, more, than; "Overlaps other shifts
of this person on 2026-12-04." has six), and so does a Dutch page rendered on /?lang=en.
A single untranslated label could slip through only if it is a word of both languages,
which the catalogue parity check (tests/test_texts_language.py) covers from the other side.
"""

from __future__ import annotations

import re
from typing import Final

_ENGLISH_WORDS = """
    about acquaintance action actions activate add address advice after again alert
    alerts all along also and answered any approve approved are at august available base
    be before between block busier but by calendar came can cancel cannot capacity card
    care change changed choose close closed codebook colleague coming contacts content
    conversation conversations copied copy correct could coverage created darker day
    days deactivate deactivated delete display drop duration each ear edit end entries
    entry every everyone everywhere face february figure first follow for free fri
    friday from gap gaps hand health help here hour hours how if it its january july
    june just kind languages last lasts left library line listening lost march may mean
    mental message minutes missed mon monday month more must name new next no nobody
    none not note nothing number numbers october off older on once only opened optional
    or orange other others outlined overlap overlaps parent pass password pending people
    period perpetrator perpetrators person phone please police previous quarter queue
    quick raw reading reason recently reconnecting recurring red refuse refused register
    registration relative relatives remove replies reply report reports request requests
    role roster rounded row sat saturday save seconds seek seeker send sent set shelter
    shift shifts should show shown sign signed skip small some someone something sound
    staff staffed start still subject subscription sun sunday system take text than that
    the their them there these they this those through thu thursday times to today try
    tue tuesday typing unknown until username valid victim victims visitor waiting
    warning warnings wed wednesday were what when where which while who whoever why will
    with would wrong year yet you your yourself
"""
_DUTCH_WORDS = """
    aan aandachtsgebied aanmaken aantal actief activeren adres agenda alle als annuleren
    antwoord antwoorden apparaten augustus beantwoord begin bericht beschikbaar bezet
    bezoeker beëindigen bij blokkeren chaturen collega contacten daar dag dagen dat de
    deactiveren dekking deze di dienst diensten dinsdag dit donderdag een eerste einde
    elke er februari gat gaten gebruik gebruikersnaam gedeactiveerd geen gekopieerd
    geluid gemiddelde gemist geopend gesloten gesprek gesprekken gespreksduur geweigerd
    gewijzigd ging goedgekeurd goedkeuren handeling het hier hoogstens huidig iets
    ingeroosterd ingesteld inhoud inloggen inroepen ja jaar januari je jij jouw juli
    juni kies komende kopiëren kwartaal laatste lijst logboek ma maand maandag maart
    meer mei melding meldingen met mijn minstens mis naar naaste naasten namen nee
    niemand niet nieuw nieuwe nog notitie nummers oktober om onbekend onderwerp ook op
    opnieuw opslaan oudere overdragen overslaan pauze periode pleger plegers probeer
    reden regel regels registratie registreren rol rooster ruwe seconden slachtoffer
    slachtoffers sluiten snelle soort systeem talen tegelijk tekens tekst tijden tijdens
    tijdzone titel toevoegen toon tot typt uit uitgelogd uitloggen uur van vandaag vaste
    verbinding verbroken verplicht versturen verwijderen verzoek verzoeken verzonden
    volgende voor vorige vr vrij vrijdag waarschuwingen wachten wachtrij wachttijd
    wachtwoord wanneer wat weergavenaam weggegaan weigeren weken wie wijzigen wo
    woensdag wordt za zaterdag zijn zo zondag
"""
#: Words only English has (never Dutch words: not "is", "of", "was", "had", "been", "door",
#: "die", "log", "flyer"; not "week", "link", "account", "contact", "details", "zone").
ENGLISH_ONLY: Final = frozenset(_ENGLISH_WORDS.split())
#: Words only Dutch has ("en" and "nl" are left out: they are also language codes shown
#: as data, as in "Talen (bijv. nl, en)"; "open", "mentor", "per", "chats" are in both).
DUTCH_ONLY: Final = frozenset(_DUTCH_WORDS.split())

MARKERS: Final = {"nl": ENGLISH_ONLY, "en": DUTCH_ONLY}
#: A word; hyphenated compounds are one word ("face-to-face" is Dutch too).
_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*", re.UNICODE)
_PLACEHOLDER = re.compile(r"\{\w+\}")
#: Names in code (``starts_at``) are no words of either language; "at" would count.
_CODE_NAME = re.compile(r"\w+_\w+")


def wrong_words(text: str, lang: str) -> list[str]:
    """The words of ``text`` that belong to the other language than ``lang``.

    ``{name}`` placeholders of catalogue texts are not words of either language.
    """
    markers = MARKERS[lang]
    words = _WORD.findall(_CODE_NAME.sub(" ", _PLACEHOLDER.sub(" ", text)))
    return [word for word in words if word.lower() in markers]


def untranslated(texts: list[str], lang: str) -> list[str]:
    """Each text with a word of the other language, with those words: ``"text" [words]``."""
    found = []
    for text in texts:
        words = wrong_words(text, lang)
        if words:
            found.append(f"{text.strip()[:160]!r} {sorted(set(words))}")
    return sorted(set(found))
