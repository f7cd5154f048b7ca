// Nabij team page (coordinators): accounts, a new expert with a one-time password link,
// changes, deactivation and activation (confirmed), new password links.

import {
  $, T, DATA, el, fmt, api, say, clearErrors, showErrors, fillList, fillSelect, answerError,
} from "./page.js";

const EDITABLE = ["display_name", "role", "focus", "languages", "capacity", "cooldown_s"];
let members = [];

function describe(member) {
  const focus = member.focus.map((code) => T["team.focus." + code]).join(", ");
  const state = member.active ? T["team.active"] : T["team.inactive"];
  return `${member.display_name} (${member.username}) · ${T["team.role." + member.role]}`
    + `${focus ? " · " + focus : ""} · ${member.languages.join(", ")} · ${member.capacity} · ${state}`;
}

function button(label, name, className, action) {
  const node = el("button", { type: "button", className }, label);
  node.append(el("span", { className: "visually-hidden" }, ` ${name}`));
  node.addEventListener("click", action);
  return node;
}

function memberItem(member) {
  const item = el("li", { className: "member-item", dataset: { memberId: member.id, username: member.username } });
  if (!member.active) item.classList.add("inactive");
  item.append(el("p", { className: "member-text" }, describe(member)));
  const name = member.display_name;
  item.append(button(T["team.edit"], name, "link member-edit", () => edit(member)));
  if (member.id !== DATA.user_id) {
    const kind = member.active ? "deactivate" : "activate";
    item.append(button(T["team." + kind], name, `link member-${kind}${member.active ? " danger" : ""}`, () => toggle(member, kind)));
  }
  if (member.active) item.append(button(T["team.link"], name, "link member-link", () => newLink(member)));
  return item;
}

async function load() {
  const answer = await api("GET", "/api/team");
  if (!answer.ok) return say("team-status", T["common.error"], true);
  members = answer.members;
  fillList($("member-list"), members, memberItem, T["common.none"]);
}

function showLink(member, url) {
  $("link-for").textContent = `${T["team.link_once"]} ${member.display_name} (${member.username})`;
  $("link-url").value = url;
  $("link-box").hidden = false;
  $("link-url").focus();
  $("link-url").select();
}

function formValues(form) {
  const values = {
    display_name: form.elements.display_name.value,
    role: form.elements.role.value,
    focus: [...form.querySelectorAll('input[name="focus"]:checked')].map((box) => box.value),
    languages: form.elements.languages.value.split(/[\s,]+/).filter(Boolean),
  };
  for (const name of ["capacity", "cooldown_s"]) {
    const raw = form.elements[name].value.trim();
    values[name] = raw === "" || Number.isNaN(Number(raw)) ? raw : Number(raw);
  }
  return values;
}

function edit(member) {
  const form = $("member-form");
  form.elements.id.value = String(member.id);
  form.elements.username.value = member.username;
  form.elements.username.disabled = true;
  for (const name of ["display_name", "role", "capacity", "cooldown_s"]) form.elements[name].value = String(member[name]);
  form.elements.languages.value = member.languages.join(", ");
  for (const box of form.querySelectorAll('input[name="focus"]')) box.checked = member.focus.includes(box.value);
  $("member-form-title").textContent = `${T["team.edit"]}: ${member.display_name}`;
  $("member-submit").textContent = T["common.save"];
  $("member-cancel").hidden = false;
  clearErrors(form);
  form.elements.display_name.focus();
}

function resetForm() {
  const form = $("member-form");
  form.reset();
  form.elements.id.value = "";
  form.elements.username.disabled = false;
  $("member-form-title").textContent = T["team.new"];
  $("member-submit").textContent = T["team.create"];
  $("member-cancel").hidden = true;
  clearErrors(form);
}

async function submit(event) {
  event.preventDefault();
  const form = $("member-form");
  const id = form.elements.id.value;
  const values = formValues(form);
  if (!id) values.username = form.elements.username.value;
  const answer = await api(id ? "PUT" : "POST", id ? `/api/team/${id}` : "/api/team", values);
  if (!answer.ok) return showErrors(form, answer);
  resetForm();
  say("team-status", id ? T["team.updated"] : T["team.created"]);
  await load();
  if (answer.password_link) showLink(answer.member, answer.password_link);
}

async function toggle(member, kind) {
  if (!window.confirm(fmt(`team.confirm_${kind}`, { name: member.display_name }))) return;
  const answer = await api("POST", `/api/team/${member.id}/${kind}`);
  say("team-status", answer.ok ? T["team.updated"] : answerError(answer), !answer.ok);
  await load();
}

async function newLink(member) {
  const answer = await api("POST", `/api/team/${member.id}/password-link`);
  if (!answer.ok) return say("team-status", T["common.error"], true);
  showLink(member, answer.password_link);
}

function start() {
  const roles = DATA.roles.filter((role) => role !== "admin" || DATA.role === "admin");
  fillSelect($("member-role"), roles.map((role) => ({ value: role, text: T["team.role." + role] })), null);
  $("member-form").addEventListener("submit", submit);
  $("member-cancel").addEventListener("click", resetForm);
  $("link-copy").addEventListener("click", async () => {
    $("link-url").select();
    try { await navigator.clipboard.writeText($("link-url").value); say("team-status", T["my.copied"]); } catch (_) { /* selected: Ctrl+C works */ }
  });
  load();
}

start();
