// The report page's sections of issue 17 (the visitor's verdict, the safety check, the
// message box): the page renders the labels, this fills in the figures from
// GET /api/reports/chat for the same period. Counts under the small-number rule come as
// strings ("<5") and are shown as they are; means and shares below the threshold are
// null: "te weinig antwoorden". Values go in as textContent only.

const root = document.getElementById("voice");

/** The value at "a.b.c" in `data`, or undefined. */
export function pick(data, path) {
  return path.split(".").reduce((value, key) => (value === null || value === undefined ? undefined : value[key]), data);
}

/** A figure as the page shows it; `texts`: {lang, tooFew, minutes, reference}. */
export function shown(value, kind, texts) {
  const number = (n, digits) =>
    new Intl.NumberFormat(texts.lang === "en" ? "en-GB" : "nl-NL", { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
  if (kind === "reference") {
    if (!value || typeof value.mean_mark_2018_2020 !== "number") return "–";
    return texts.reference
      .replace("{mark}", number(value.mean_mark_2018_2020, 1))
      .replace("{n}", String(value.answers_2018_2020))
      .replace("{mark_2020}", number(value.mean_mark_2020, 1));
  }
  if (value === undefined) return "–";
  if (typeof value === "string") return value; // "<5": the small-number rule
  if (value === null) return kind === "count" ? "–" : texts.tooFew;
  if (kind === "share") return `${number(value * 100, 0)}%`;
  if (kind === "mark") return number(value, 1);
  if (kind === "minutes") return texts.minutes.replace("{n}", number(value, 0));
  return String(value);
}

async function fill() {
  const texts = { lang: root.dataset.lang, tooFew: root.dataset.tooFew, minutes: root.dataset.minutes, reference: root.dataset.reference };
  const status = document.getElementById("voice-status");
  const query = new URLSearchParams({ from: root.dataset.from, to: root.dataset.to });
  let data;
  try {
    const response = await fetch(`/api/reports/chat?${query}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    data = await response.json();
  } catch (_) {
    data = null;
  }
  if (!data || !data.ok) {
    status.textContent = root.dataset.failed;
    return;
  }
  for (const cell of document.querySelectorAll("[data-v]")) {
    cell.textContent = shown(pick(data, cell.dataset.v), cell.dataset.kind, texts);
  }
  document.getElementById("funnel-messages").hidden = !data.messages;
  status.textContent = "";
}

if (root) fill();
