"""Texts of the report page (``/reports``), Dutch and English; part of the catalogue.

The registration package keeps its Dutch labels (registration/codes.py, the codebook);
the page takes field and code labels from i18n.py in the page's language, and everything
else from here. Period errors come in English from registration/periods.py; the
templates below give them in the page's language.
"""

from __future__ import annotations

from typing import Final

from chatserver.console.api_texts import translate

REPORT_NL: Final[dict[str, str]] = {
    "report.title": "Rapportage",
    "report.heading": "Rapportage laagdrempelige contacten",
    "report.period": "Periode:",
    "report.beside": "; ernaast de vorige periode ({previous}).",
    "report.choose": "Periode kiezen",
    "report.kind": "Soort",
    "report.kind.year": "Jaar",
    "report.kind.quarter": "Kwartaal",
    "report.kind.month": "Maand",
    "report.kind.custom": "Zelf kiezen",
    "report.year": "Jaar",
    "report.number": "Kwartaal of maand",
    "report.from": "Van",
    "report.to": "Tot en met",
    "report.show": "Toon",
    "report.contacts": "Contacten",
    "report.this_period": "deze periode",
    "report.previous_period": "vorige periode",
    "report.count": "Aantal contacten",
    "report.mean": "Gemiddelde duur (minuten)",
    "report.median": "Mediane duur (minuten)",
    "report.duration": "Duur van het contact",
    "report.multi": "{label} (meer antwoorden mogelijk; % van alle contacten)",
    "report.none_of_these": "Geen van deze",
    "report.not_answered": "Niet ingevuld (niet in de %)",
    "report.rounding": (
        "Percentages zijn afgerond op hele procenten (half naar boven)."
        " Alleen afgeronde registraties tellen mee."
    ),
    "report.chat": "De chat",
    "report.min_sec": "{label} (min:sec)",
    "report.heatmap": "Vraag en rooster per uur van de week",
    "report.legend": "Getal: chatverzoeken in dat uur. Donkerder: drukker.",
    "report.key_staffed": "omrand",
    "report.key_staffed_text": "ingeroosterd;",
    "report.key_unstaffed": "rood",
    "report.key_unstaffed_text": "verzoeken zonder rooster;",
    "report.key_missed": "oranje",
    "report.key_missed_text": "ingeroosterd maar toch gemist.",
    "report.cell": (
        "{day} {hour}:00: {requests} verzoeken, {answered} beantwoord, {missed} gemist,"
        " {opens} keer geopend, {staffed} uur bezet"
    ),
    "report.downloads": "Downloads",
    "report.csv_contacts": "Contacten (CSV, één regel per contact)",
    "report.csv_codebook": "Codeboek (CSV)",
    "report.csv_week": "Per week (CSV, kleine aantallen als <5)",
    "report.csv_expert": "Per ervaringsdeskundige (CSV, kleine aantallen als <5)",
    "report.chart": "grafiek",
    "report.bar": "{pct}% (vorige periode {prev}%)",
    "report.n": "n",
    "report.prev_n": "vorige n",
    "report.prev_pct": "vorige %",
    "report.base": "Basis van de percentages",
    "report.through": "{first} tot en met {last}",
    "report.row.requests": "Chatverzoeken",
    "report.row.answered": "Beantwoord",
    "report.row.missed_closed": "Gemist: gesloten (niemand ingeroosterd)",
    "report.row.missed_nobody_free": "Gemist: niemand vrij",
    "report.row.missed_unknown": "Gemist: reden onbekend",
    "report.row.abandoned": "Weggegaan tijdens het wachten",
    "report.row.widget_opens": "Widget geopend",
    "report.row.wait_p50_s": "Wachttijd, mediaan (p50)",
    "report.row.wait_p90_s": "Wachttijd, p90",
    "report.row.talk_mean_s": "Gespreksduur, gemiddeld",
    "report.row.talk_median_s": "Gespreksduur, mediaan",
    "report.bucket.under_15": "Minder dan 15 minuten",
    "report.bucket.15_29": "15 tot 30 minuten",
    "report.bucket.30_59": "30 tot 60 minuten",
    "report.bucket.60_plus": "60 minuten of langer",
    "report.field.kind": "Soort",
    "report.field.year": "Jaar",
    "report.field.number": "Kwartaal of maand",
    "report.field.from": "Van",
    "report.field.to": "Tot en met",
    # Issue 17: the visitor's verdict, the safety check and the message box (filled in
    # by static/reports/voice.js from GET /api/reports/chat).
    "report.voice.loading": "De cijfers worden geladen…",
    "report.voice.failed": "Deze cijfers zijn nu niet te laden.",
    "report.voice.too_few": "te weinig antwoorden",
    "report.voice.feedback": "Het oordeel van de bezoeker",
    "report.voice.feedback_note": (
        "Na een gesprek dat gewoon eindigde vraagt de widget om een rapportcijfer en twee"
        " vragen, alle drie niet verplicht. Antwoorden worden bewaard met alleen de periode:"
        " niet te koppelen aan een gesprek of een ervaringsdeskundige."
    ),
    "report.voice.ours": "Nabij, deze periode",
    "report.voice.reference": "Evaluatie (cliënten casuïstiek)",
    "report.voice.answers": "Aantal antwoorden",
    "report.voice.answered_chats": "Beantwoorde chats",
    "report.voice.response_rate": "Respons (% van beantwoorde chats)",
    "report.voice.mean_mark": "Gemiddeld rapportcijfer",
    "report.voice.reference_mark": "{mark} (2018–2020, n = {n}); {mark_2020} in 2020",  # noqa: RUF001 (a range)
    "report.voice.share_helped": "Geholpen (ja of een beetje)",
    "report.voice.share_recommending": "Zou ons aanraden",
    "report.voice.marks": "Rapportcijfers",
    "report.voice.mark": "Cijfer",
    "report.voice.helped": "Heeft dit gesprek je geholpen?",
    "report.voice.helped.yes": "Ja",
    "report.voice.helped.a_bit": "Een beetje",
    "report.voice.helped.no": "Nee",
    "report.voice.recommend": "Zou je ons aanraden aan iemand in dezelfde situatie?",
    "report.voice.recommend.yes": "Ja",
    "report.voice.recommend.no": "Nee",
    "report.voice.safety": "Kon de bezoeker veilig chatten?",
    "report.voice.safety_note": (
        "Het antwoord op de vraag voor het gesprek; geteld per periode, niet gekoppeld aan"
        " een gesprek."
    ),
    "report.voice.safety.safe": "Veilig",
    "report.voice.safety.unsure": "Niet zeker",
    "report.voice.safety.unsafe": "Niet veilig",
    "report.voice.safety.skipped": "Overgeslagen",
    "report.voice.messages": "Berichten (Laat een bericht achter)",
    "report.voice.messages.left": "Achtergelaten berichten",
    "report.voice.messages.answered_in_time": "Beantwoord voor het eind van de volgende dienst",
    "report.voice.messages.picked_up": "Antwoord gelezen door de bezoeker",
    "report.voice.messages.median_answer_minutes": "Mediane tijd tot antwoord",
    "report.voice.funnel_messages": "Berichten achtergelaten (naast de gemiste chats)",
    "report.voice.n": "Aantal",
    "report.voice.share": "Aandeel",
    "report.voice.minutes": "{n} min",
}

REPORT_EN: Final[dict[str, str]] = {
    "report.title": "Reports",
    "report.heading": "Report of low-threshold contacts",
    "report.period": "Period:",
    "report.beside": "; beside it the previous period ({previous}).",
    "report.choose": "Choose a period",
    "report.kind": "Kind",
    "report.kind.year": "Year",
    "report.kind.quarter": "Quarter",
    "report.kind.month": "Month",
    "report.kind.custom": "Choose dates",
    "report.year": "Year",
    "report.number": "Quarter or month",
    "report.from": "From",
    "report.to": "Through",
    "report.show": "Show",
    "report.contacts": "Contacts",
    "report.this_period": "this period",
    "report.previous_period": "previous period",
    "report.count": "Number of contacts",
    "report.mean": "Mean duration (minutes)",
    "report.median": "Median duration (minutes)",
    "report.duration": "Duration of the contact",
    "report.multi": "{label} (several answers possible; % of all contacts)",
    "report.none_of_these": "None of these",
    "report.not_answered": "Not answered (not in the %)",
    "report.rounding": (
        "Percentages are rounded to whole percents (half up). Only completed registrations count."
    ),
    "report.chat": "The chat",
    "report.min_sec": "{label} (min:sec)",
    "report.heatmap": "Demand and roster per hour of the week",
    "report.legend": "Figure: chat requests in that hour. Darker: busier.",
    "report.key_staffed": "outlined",
    "report.key_staffed_text": "staffed;",
    "report.key_unstaffed": "red",
    "report.key_unstaffed_text": "requests without a roster;",
    "report.key_missed": "orange",
    "report.key_missed_text": "staffed but missed all the same.",
    "report.cell": (
        "{day} {hour}:00: {requests} requests, {answered} answered, {missed} missed,"
        " opened {opens} times, {staffed} hours staffed"
    ),
    "report.downloads": "Downloads",
    "report.csv_contacts": "Contacts (CSV, one line per contact)",
    "report.csv_codebook": "Codebook (CSV)",
    "report.csv_week": "Per week (CSV, small numbers as <5)",
    "report.csv_expert": "Per expert by experience (CSV, small numbers as <5)",
    "report.chart": "chart",
    "report.bar": "{pct}% (previous period {prev}%)",
    "report.n": "n",
    "report.prev_n": "previous n",
    "report.prev_pct": "previous %",
    "report.base": "Base of the percentages",
    "report.through": "{first} through {last}",
    "report.row.requests": "Chat requests",
    "report.row.answered": "Answered",
    "report.row.missed_closed": "Missed: closed (nobody rostered)",
    "report.row.missed_nobody_free": "Missed: nobody free",
    "report.row.missed_unknown": "Missed: reason unknown",
    "report.row.abandoned": "Left while waiting",
    "report.row.widget_opens": "Widget opened",
    "report.row.wait_p50_s": "Waiting time, median (p50)",
    "report.row.wait_p90_s": "Waiting time, p90",
    "report.row.talk_mean_s": "Conversation length, mean",
    "report.row.talk_median_s": "Conversation length, median",
    "report.bucket.under_15": "Less than 15 minutes",
    "report.bucket.15_29": "15 to 30 minutes",
    "report.bucket.30_59": "30 to 60 minutes",
    "report.bucket.60_plus": "60 minutes or more",
    "report.field.kind": "Kind",
    "report.field.year": "Year",
    "report.field.number": "Quarter or month",
    "report.field.from": "From",
    "report.field.to": "Through",
    # Issue 17: the visitor's verdict, the safety check and the message box (filled in
    # by static/reports/voice.js from GET /api/reports/chat).
    "report.voice.loading": "Loading the figures…",
    "report.voice.failed": "These figures cannot be loaded right now.",
    "report.voice.too_few": "too few answers",
    "report.voice.feedback": "The visitor's verdict",
    "report.voice.feedback_note": (
        "After a chat that ended normally the widget asks for a mark and two questions, all"
        " three optional. Answers are kept with the period only: they cannot be linked to a"
        " chat or an expert."
    ),
    "report.voice.ours": "Nabij, this period",
    "report.voice.reference": "Evaluation (casework clients)",
    "report.voice.answers": "Answers",
    "report.voice.answered_chats": "Answered chats",
    "report.voice.response_rate": "Response (% of answered chats)",
    "report.voice.mean_mark": "Mean mark",
    "report.voice.reference_mark": "{mark} (2018–2020, n = {n}); {mark_2020} in 2020",  # noqa: RUF001 (a range)
    "report.voice.share_helped": "Helped (yes or a bit)",
    "report.voice.share_recommending": "Would recommend us",
    "report.voice.marks": "Marks",
    "report.voice.mark": "Mark",
    "report.voice.helped": "Did this chat help you?",
    "report.voice.helped.yes": "Yes",
    "report.voice.helped.a_bit": "A bit",
    "report.voice.helped.no": "No",
    "report.voice.recommend": "Would you recommend us to someone in the same situation?",
    "report.voice.recommend.yes": "Yes",
    "report.voice.recommend.no": "No",
    "report.voice.safety": "Could the visitor chat safely?",
    "report.voice.safety_note": (
        "The answer to the question before the chat; counted per period, not linked to a chat."
    ),
    "report.voice.safety.safe": "Safe",
    "report.voice.safety.unsure": "Not sure",
    "report.voice.safety.unsafe": "Not safe",
    "report.voice.safety.skipped": "Skipped",
    "report.voice.messages": "Messages (Leave a message)",
    "report.voice.messages.left": "Messages left",
    "report.voice.messages.answered_in_time": "Answered by the end of the next shift",
    "report.voice.messages.picked_up": "Answer read by the visitor",
    "report.voice.messages.median_answer_minutes": "Median time to answer",
    "report.voice.funnel_messages": "Messages left (beside the missed chats)",
    "report.voice.n": "Number",
    "report.voice.share": "Share",
    "report.voice.minutes": "{n} min",
}

MONTHS: Final = {
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
DAYS: Final = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

#: The period errors of registration/periods.py in Dutch: an English pattern (``{x}``
#: stands for a number) and its Dutch text.
NL_PERIOD_ERRORS: Final[dict[str, str]] = {
    "The end date cannot be before the start date.": (
        "De einddatum kan niet voor de begindatum liggen."
    ),
    "A report covers at most {n} days.": "Een rapportage beslaat hoogstens {n} dagen.",
    "This field is required.": "Dit veld is verplicht.",
    "Write the date as YYYY-MM-DD.": "Schrijf de datum als JJJJ-MM-DD.",
    "This date does not exist.": "Deze datum bestaat niet.",
    "Choose one of: {codes}.": "Kies een soort periode uit de lijst.",
    "Give a whole number from {low} to {high}.": "Geef een heel getal van {low} tot {high}.",
}


def period_error(lang: str, message: str) -> str:
    """A period error of registration/periods.py in the page's language."""
    return translate(message, {}, NL_PERIOD_ERRORS) if lang == "nl" else message
