// Dates the way people say them: "maandag 23 november om 19:00", always in the team's
// time zone (the roster is Dutch), whatever the visitor's device is set to.
const TIME_ZONE = "Europe/Amsterdam";

// The Date for a time from the server, or null: a missing value must not read as 1970
// (`new Date(null)` is the epoch), nor an unreadable one as "Invalid Date".
function instant(iso) {
  const date = new Date(iso);
  return typeof iso === "string" && iso && !Number.isNaN(date.getTime()) ? date : null;
}

export function formatOpening(iso, text) {
  const date = instant(iso);
  if (!date) return null;
  const day = new Intl.DateTimeFormat(text.locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: TIME_ZONE,
  }).format(date);
  const time = new Intl.DateTimeFormat(text.locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: TIME_ZONE,
  }).format(date);
  return `${day} ${text.at} ${time}`;
}

// "22:00": a time today, for "open until".
export function formatTime(iso, text) {
  const date = instant(iso);
  if (!date) return null;
  const clock = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: TIME_ZONE };
  return new Intl.DateTimeFormat(text.locale, clock).format(date);
}

// "di 24 nov 19:00–22:00": one stretch of the published opening hours, short.
export function formatHours(window, text) {
  const start = instant(window && window.starts_at);
  const end = instant(window && window.ends_at);
  if (!start || !end) return null;
  const parts = (date, options) =>
    new Intl.DateTimeFormat(text.locale, { ...options, timeZone: TIME_ZONE }).format(date);
  const day = parts(start, { weekday: "short", day: "numeric", month: "short" }).replace(/\./g, "");
  const clock = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  return `${day} ${parts(start, clock)}–${parts(end, clock)}`;
}

// The wait sentence for a `wait_range_min` from the server, or "" without an estimate.
export function waitText(range, text) {
  if (!Array.isArray(range) || !Number.isInteger(range[0])) return "";
  const high = Number.isInteger(range[1]) ? range[1] : null;
  return text.wait(range[0], high);
}
