// Nabij audit log (coordinators): newest first, 100 at a time, "older" pages back. Each
// entry reads as a sentence in the page's language, times in the team's time zone
// (NABIJ_TIMEZONE); the raw record (code, subject, JSON) stays one click away.

import { $, T, DATA, LANG, el, fmt, api, say } from "./page.js";

const PAGE = 100;
let oldest = null;
let staff = {};
let shown = 0;

const local = (iso, options) => new Date(iso).toLocaleString(LANG, { timeZone: DATA.timezone, ...options });

function when(iso) {
  return local(iso, { dateStyle: "medium", timeStyle: "short" });
}

/** "di 8 dec 19:00–22:00" in local time, from two ISO moments (UTC or with an offset). */
function span(startIso, endIso) {
  if (!startIso || !endIso) return T["audit.nobody"];
  const day = local(startIso, { weekday: "short", day: "numeric", month: "short" });
  const time = (iso) => local(iso, { hour: "2-digit", minute: "2-digit", hour12: false });
  return `${day} ${time(startIso)}–${time(endIso)}`;
}

function nameOf(id) {
  return id === undefined || id === null ? T["audit.nobody"] : staff[String(id)] || `#${id}`;
}

function days(codes) {
  return (codes || []).map((code) => T["day." + code] || code).join(" ");
}

function hoursText(hours) {
  return (hours || []).map((h) => `${days(h.weekdays)} ${h.start}–${h.end}`).join("; ") || "–";
}

/** A local day ("2026-12-05") as "za 5 dec"; anything else as it is. */
function day(value) {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(`${value}T12:00:00Z`);
  const weekday = T["day." + ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][date.getUTCDay()]];
  const month = date.toLocaleDateString(LANG, { month: "short", timeZone: "UTC" }).replace(".", "");
  return `${weekday} ${date.getUTCDate()} ${month}`;
}

function values(entry) {
  const d = entry.details || {};
  const [kind, id] = entry.subject.split(":");
  return {
    ...d,
    starts_on: day(d.starts_on),
    first: day(d.first),
    last: day(d.last),
    who: nameOf(kind === "user" ? id : d.user_id),
    when: span(d.starts_at, d.ends_at),
    days: days(d.weekdays),
    hours: hoursText(d.hours),
    subject: kind === "chat_hours" ? T["audit.subject.chat_hours"] : `#${id || entry.subject}`,
    action: entry.action,
  };
}

function describe(entry) {
  const key = `audit.action.${entry.action}`;
  return fmt(T[key] ? key : "audit.unknown", values(entry));
}

function rawRecord(entry) {
  const details = el("details", { className: "raw" });
  details.append(el("summary", {}, T["audit.raw"]));
  const record = { action: entry.action, subject: entry.subject, at: entry.at, details: entry.details || {} };
  details.append(el("pre", {}, JSON.stringify(record, null, 2)));
  return details;
}

function row(entry) {
  const tr = el("tr", { dataset: { entryId: entry.id, action: entry.action } });
  const what = el("td", { className: "details" });
  what.append(el("span", { className: "description" }, describe(entry)), rawRecord(entry));
  tr.append(
    el("td", { className: "at" }, when(entry.at)),
    el("td", {}, entry.actor || T["audit.system"]),
    what,
  );
  return tr;
}

async function load() {
  const answer = await api("GET", oldest ? `/api/audit?before=${oldest}` : "/api/audit");
  if (!answer.ok) return say("audit-status", T["common.error"], true);
  staff = { ...staff, ...(answer.staff || {}) };
  for (const entry of answer.entries) $("audit-rows").append(row(entry));
  shown += answer.entries.length;
  if (answer.entries.length) oldest = answer.entries[answer.entries.length - 1].id;
  const more = answer.entries.length === PAGE;
  $("audit-older").hidden = !more;
  // Said below the table, where the list ends: never above a full table.
  $("audit-end").textContent = more ? "" : T[shown ? "audit.end" : "audit.none"];
}

$("audit-older").addEventListener("click", load);
load();
