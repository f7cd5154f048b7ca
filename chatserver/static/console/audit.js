// Nabij audit log (coordinators): newest first, 100 at a time, "older" pages back.

import { $, T, DATA, LANG, el, api, say } from "./page.js";

const PAGE = 100;
let oldest = null;

function when(iso) {
  return new Date(iso).toLocaleString(LANG, {
    timeZone: DATA.timezone, dateStyle: "medium", timeStyle: "short",
  });
}

function row(entry) {
  const tr = el("tr", { dataset: { entryId: entry.id } });
  tr.append(
    el("td", {}, when(entry.at)),
    el("td", {}, entry.actor || T["audit.system"]),
    el("td", { className: "action" }, entry.action),
    el("td", {}, entry.subject),
    el("td", { className: "details" }, JSON.stringify(entry.details || {})),
  );
  return tr;
}

async function load() {
  const answer = await api("GET", oldest ? `/api/audit?before=${oldest}` : "/api/audit");
  if (!answer.ok) return say("audit-status", T["common.error"], true);
  for (const entry of answer.entries) $("audit-rows").append(row(entry));
  if (answer.entries.length) oldest = answer.entries[answer.entries.length - 1].id;
  $("audit-older").hidden = answer.entries.length < PAGE;
  if (answer.entries.length < PAGE) say("audit-status", T["audit.none"]);
}

$("audit-older").addEventListener("click", load);
load();
