// The staff pages' shared helpers (chatserver/static/console/base.js): the text
// formatter, the element builder (text only, never markup) and the JSON API call.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { FakeElement, fakeDocument } from "./fakedom.mjs";

const csrf = Object.assign(new FakeElement("meta"), { content: "csrf-123" });
globalThis.document = fakeDocument({ bySelector: { 'meta[name="csrf-token"]': csrf } });
const assigned = [];
globalThis.location = { assign: (url) => assigned.push(url) };
const { $, api, el, formatter } = await import("../../chatserver/static/console/base.js");

afterEach(() => {
  delete globalThis.fetch;
  assigned.length = 0;
});

test("the formatter fills every {name}, leaves missing values empty and unknown keys as the key", () => {
  const fmt = formatter({ hello: "Hallo {name}, {name}! Je hebt {count} chats {missing}." });
  assert.equal(fmt("hello", { name: "Sam", count: 0 }), "Hallo Sam, Sam! Je hebt 0 chats .");
  assert.equal(fmt("hello"), "Hallo , ! Je hebt  chats .");
  assert.equal(fmt("no.such.key", { name: "x" }), "no.such.key");
  assert.equal(formatter({ a: "{n}" })("a", { n: null }), "");
});

test("a value is put in as text, never read as a placeholder again or as markup", () => {
  const fmt = formatter({ who: "{a} en {b}" });
  assert.equal(fmt("who", { a: "{b}", b: "<b>x</b>" }), "{b} en <b>x</b>");
});

test("el sets properties, attributes, dataset and text", () => {
  const node = el("li", { className: "empty", "aria-label": "leeg", dataset: { id: "7" } }, "<i>geen</i>");
  assert.equal(node.tagName, "LI");
  assert.equal(node.className, "empty");
  assert.equal(node.getAttribute("aria-label"), "leeg");
  assert.equal(node.dataset.id, "7");
  assert.equal(node.textContent, "<i>geen</i>");
  assert.equal(node.children.length, 0);
  assert.equal(el("p").textContent, "");
});

test("$ finds by id and answers null for a missing one", () => {
  assert.equal($("absent"), null);
});

/** A fetch that records its call and answers `status` with `body` (a string: not JSON). */
function answer(status, body) {
  const calls = [];
  globalThis.fetch = async (url, options) => {
    calls.push({ url, options });
    return {
      status,
      json: async () => (typeof body === "string" ? JSON.parse(body) : body),
    };
  };
  return calls;
}

test("api sends the CSRF token and a JSON body, and answers the body with its status", async () => {
  const calls = answer(200, { ok: true, id: 3 });
  assert.deepEqual(await api("POST", "/api/x", { a: 1 }), { ok: true, id: 3, status: 200 });
  const [{ url, options }] = calls;
  assert.equal(url, "/api/x");
  assert.equal(options.method, "POST");
  assert.equal(options.credentials, "same-origin");
  assert.equal(options.headers["X-CSRF-Token"], "csrf-123");
  assert.equal(options.headers["Content-Type"], "application/json");
  assert.equal(options.body, '{"a":1}');
});

test("api without a body sends no content type and no body", async () => {
  const calls = answer(200, { ok: true });
  await api("GET", "/api/y");
  assert.equal("Content-Type" in calls[0].options.headers, false);
  assert.equal("body" in calls[0].options, false);
});

test("an HTTP error is an answer, not an exception", async () => {
  answer(422, { ok: false, error: { code: "invalid", fields: { name: "required" } } });
  const result = await api("POST", "/api/z", {});
  assert.deepEqual(result, { ok: false, error: { code: "invalid", fields: { name: "required" } }, status: 422 });
});

test("no network answers code network with status 0", async () => {
  globalThis.fetch = async () => { throw new TypeError("Failed to fetch"); };
  assert.deepEqual(await api("GET", "/api/y"), { ok: false, status: 0, error: { code: "network" } });
});

test("a body that is not JSON (a proxy's error page) answers internal with the status", async () => {
  answer(502, "<html>Bad Gateway</html>");
  assert.deepEqual(await api("GET", "/api/y"), { ok: false, error: { code: "internal" }, status: 502 });
});

test("a 401 sends the browser to the sign-in page", async () => {
  answer(401, { ok: false, error: { code: "unauthorized" } });
  const result = await api("GET", "/api/y");
  assert.equal(result.status, 401);
  assert.deepEqual(assigned, ["/login"]);
});
