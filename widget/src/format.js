// Dates the way people say them: "maandag 23 november om 19:00", always in the team's
// time zone (the roster is Dutch), whatever the visitor's device is set to.
const TIME_ZONE = "Europe/Amsterdam";

export function formatOpening(iso, text) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return null;
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

export function waitMinutes(seconds) {
  return Math.max(1, Math.round(seconds / 60));
}
