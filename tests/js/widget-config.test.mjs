// The widget's reading of its script tag's data attributes (widget/src/config.js). A
// missing attribute is `undefined` in `dataset`; every parser falls back to its default
// for it, for an empty string and for a wrong value alike, instead of breaking the page.
import assert from "node:assert/strict";
import { test } from "node:test";

const PAGE = "http://127.0.0.1:8080/";
const DEFAULT_EXIT_URL = "https://www.buienradar.nl/"; // DEFAULT_EXIT_URL in config.js

// The host page at PAGE; this CSS.supports accepts only #rrggbb colours.
globalThis.location = { href: PAGE };
globalThis.CSS = { supports: (property, value) => property === "color" && /^#[0-9a-f]{6}$/i.test(value) };
const { readConfig, webUrl } = await import("../../widget/src/config.js");

/** readConfig for a script tag served from PAGE with this dataset. */
function read(dataset, src = PAGE + "widget/widget.js") {
  return readConfig({ src, dataset });
}

test("no attributes at all give every default", () => {
  assert.deepEqual(read({}), {
    origin: "http://127.0.0.1:8080",
    lang: "nl",
    position: "right",
    accent: null,
    exitUrl: DEFAULT_EXIT_URL,
    contacts: [],
  });
});

test("the origin is the script's, resolved against the page, not the page's", () => {
  assert.equal(read({}, "https://chat.example.nl/widget/widget.abc.js").origin, "https://chat.example.nl");
  assert.equal(read({}, "/widget/widget.js").origin, "http://127.0.0.1:8080");
});

test("the documented values are taken", () => {
  const config = read({ lang: "en", position: "left", accent: "#FFD800" });
  assert.deepEqual([config.lang, config.position, config.accent], ["en", "left", "#FFD800"]);
});

for (const value of ["", "   ", "javascript:alert(1)", "data:text/html,x", "http://[::1", "ftp://x.nl/", undefined]) {
  test(`an exit url ${JSON.stringify(value)} gives the default`, () => {
    assert.equal(read({ exitUrl: value }).exitUrl, DEFAULT_EXIT_URL);
  });
}

test("a given exit url is used and a relative one resolved against the page", () => {
  assert.equal(read({ exitUrl: "https://nos.nl/" }).exitUrl, "https://nos.nl/");
  assert.equal(read({ exitUrl: "/weer" }).exitUrl, PAGE + "weer");
});

test("webUrl takes only a non-empty string naming an http(s) address", () => {
  assert.equal(webUrl("HTTPS://Example.NL/a b"), "https://example.nl/a%20b");
  for (const value of [undefined, null, 42, {}, "", " ", "mailto:a@b.nl", "tel:112", "http://"]) {
    assert.equal(webUrl(value), null, `webUrl(${JSON.stringify(value)})`);
  }
});

test("wrong or empty values fall back for every attribute", () => {
  const wrong = { lang: "fr", position: "top", accent: "red;x", contacts: "{" };
  const empty = { lang: "", position: "", accent: "", contacts: "" };
  const upper = { lang: "EN", position: "LEFT", accent: " ", contacts: " " };
  for (const dataset of [wrong, empty, upper]) {
    const config = read(dataset);
    assert.deepEqual([config.lang, config.position, config.accent, config.contacts], ["nl", "right", null, []]);
  }
});

test("contacts keep a phone or a web address and drop the rest", () => {
  const contacts = [
    { name: "Bel ons", phone: "085-123 45 67", note: "werkdagen" },
    { name: "WhatsApp", url: "https://wa.me/31612345678" },
    { name: "Kapot" },
    { name: "Script", url: "javascript:alert(1)" },
    { name: "Leeg", url: "" },
  ];
  assert.deepEqual(read({ contacts: JSON.stringify(contacts) }).contacts, [
    { name: "Bel ons", phone: "085-123 45 67", url: null, note: "werkdagen" },
    { name: "WhatsApp", phone: null, url: "https://wa.me/31612345678", note: "" },
  ]);
});

test("bad JSON or JSON that is not a list gives no contacts", () => {
  for (const raw of ["{", "[{]", "null", "42", '"tekst"', '{"name": "Bel ons", "phone": "112"}', "undefined"]) {
    assert.deepEqual(read({ contacts: raw }).contacts, [], raw);
  }
});

test("a contact without a usable name or with a bad phone is dropped", () => {
  const badNames = [null, "Bel ons", { name: "   ", phone: "112" }, { name: 7, phone: "112" }];
  const badPhones = [
    { name: "Te kort", phone: "11" },
    { name: "Letters", phone: "085-BELONS" },
    { name: "Te lang", phone: "0".repeat(30) },
    { name: "Getal", phone: 112 },
    { name: "Internationaal", phone: "+31 (0)85 123" },
  ];
  assert.deepEqual(read({ contacts: JSON.stringify(badNames) }).contacts, []);
  assert.deepEqual(read({ contacts: JSON.stringify(badPhones) }).contacts, [
    { name: "Internationaal", phone: "+31 (0)85 123", url: null, note: "" },
  ]);
});

test("a phone wins over a url, names and notes are cut, at most five contacts", () => {
  const both = { name: "N".repeat(70), phone: "112", url: "https://x.nl/", note: "o".repeat(90) };
  const many = Array.from({ length: 7 }, (_, i) => ({ name: `C${i}`, phone: "0800-2000" }));
  const [first] = read({ contacts: JSON.stringify([both]) }).contacts;
  assert.deepEqual(first, { name: "N".repeat(60), phone: "112", url: null, note: "o".repeat(80) });
  const kept = read({ contacts: JSON.stringify(many) }).contacts.map((contact) => contact.name);
  assert.deepEqual(kept, ["C0", "C1", "C2", "C3", "C4"]);
});

test("a bad contact among the first five still counts toward the five", () => {
  const list = [{ name: "Kapot" }, ...Array.from({ length: 5 }, (_, i) => ({ name: `C${i}`, phone: "112" }))];
  assert.deepEqual(read({ contacts: JSON.stringify(list) }).contacts.map((c) => c.name), ["C0", "C1", "C2", "C3"]);
});
