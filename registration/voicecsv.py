"""The visitor's voice as a CSV that may leave the team: one figure a row, small counts hidden.

The rows are the keys of ``voice_report`` (registration/feedback.py) flattened, each with a
Dutch label in the codebook (``VOICE_FIGURES``). Counts from 1 to below the threshold show
as ``<5``, as in the breakdowns; a mean or share the report withholds stays empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from registration.export import small_cell
from registration.feedback import HELPED, MARKS, RECOMMEND, SAFETY_ANSWERS

_HELPED_NL: Final = {"yes": "ja", "a_bit": "een beetje", "no": "nee"}
_SAFETY_NL: Final = {
    "safe": "kan veilig chatten",
    "unsure": "niet zeker of het veilig is",
    "unsafe": "niet veilig",
    "skipped": "vraag overgeslagen",
}

#: Every figure of the CSV with its Dutch label, in the order of the rows.
VOICE_FIGURES: Final[tuple[tuple[str, str], ...]] = (
    ("feedback.answers", "Oordelen van bezoekers (aantal)"),
    ("feedback.answered_chats", "Beantwoorde chats in de periode (basis van de respons)"),
    ("feedback.response_rate", "Respons: oordelen per beantwoorde chat (0-1)"),
    ("feedback.mean_mark", "Gemiddeld rapportcijfer (1-10)"),
    *((f"feedback.marks.{m}", f"Rapportcijfer {m} (aantal)") for m in MARKS),
    *((f"feedback.helped.{v}", f"Heeft het gesprek geholpen: {_HELPED_NL[v]}") for v in HELPED),
    ("feedback.share_helped", "Aandeel geholpen: ja of een beetje (0-1)"),
    *((f"feedback.recommend.{v}", f"Zou ons aanraden: {_HELPED_NL[v]}") for v in RECOMMEND),
    ("feedback.share_recommending", "Aandeel dat ons zou aanraden (0-1)"),
    ("feedback.reference.mean_mark_2018_2020", "Evaluatie: gemiddeld cijfer 2018-2020 (n = 51)"),
    ("feedback.reference.mean_mark_2020", "Evaluatie: gemiddeld cijfer 2020"),
    *((f"safety.{a}", f"Chats begonnen met: {_SAFETY_NL[a]}") for a in SAFETY_ANSWERS),
    ("messages.left", "Berichten achtergelaten"),
    ("messages.answered", "Berichten beantwoord"),
    ("messages.answered_in_time", "Beantwoord voor het einde van de volgende dienst"),
    ("messages.share_answered_in_time", "Aandeel beantwoord voor het einde van de volgende dienst"),
    ("messages.picked_up", "Antwoorden gelezen door de bezoeker"),
    ("messages.share_picked_up", "Aandeel antwoorden gelezen door de bezoeker"),
    ("messages.median_answer_minutes", "Mediane tijd tot antwoord (minuten)"),
)

#: Figures that are counts of people or chats (the small-number rule applies to them).
_COUNTS: Final = ("safety.", "messages.left", "messages.answered", "messages.picked_up")


def voice_rows(voice: Mapping[str, Any], threshold: int) -> list[list[str]]:
    """The header and one ``[figure, value]`` row per figure of ``VOICE_FIGURES``."""
    rows = [["figure", "value"]]
    for key, _ in VOICE_FIGURES:
        rows.append([key, _cell(key, _lookup(voice, key), threshold)])
    return rows


def voice_codebook_rows() -> list[list[str]]:
    """The codebook's rows for the CSV's ``figure`` column."""
    return [["figure", key, label] for key, label in VOICE_FIGURES]


def _lookup(voice: Mapping[str, Any], key: str) -> Any:
    value: Any = voice
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _cell(key: str, value: Any, threshold: int) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not key.endswith("_minutes") and key.startswith(_COUNTS):
        return small_cell(value, threshold)
    return str(value)
