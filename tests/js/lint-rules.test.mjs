// The safety rules that eslint.config.mjs encodes (THREAT_MODEL.md, docs/widget.md
// "Safety" and "Privacy"): a regression in the config must fail here, not pass silently.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const root = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(new URL("../../widget/package.json", import.meta.url));
const { ESLint } = require("eslint");
const eslint = new ESLint({ cwd: root });

/** The rule ids ESLint reports for `code` as if it were the file at `path` (from the root). */
async function rulesFor(path, code) {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return result.messages.map((message) => message.ruleId || message.message);
}

const MARKUP = [
  "el.innerHTML = s;",
  "el.outerHTML = s;",
  'el.insertAdjacentHTML("beforeend", s);',
  'el["innerHTML"] = s;',
  "document.write(s);",
  "document.writeln(s);",
  "range.createContextualFragment(s);",
];
const EVAL = ["eval(s);", 'setTimeout("go()", 1);', "new Function(s);", "Function(s)();"];
const STORAGE = ['console.log(s);', 'localStorage.setItem("k", s);', 'window.localStorage.getItem("k");', 'document.cookie = "k=v";', "indexedDB.open(s);"];

for (const path of ["widget/src/probe.js", "chatserver/static/console/probe.js"]) {
  for (const line of [...MARKUP, ...EVAL]) {
    test(`${path}: ${line} is an error`, async () => {
      const rules = await rulesFor(path, `export function f(el, s, range) {\n  ${line}\n  return [el, s, range];\n}\n`);
      assert.equal(rules.length, 1, `${line}: ${rules}`);
      assert.match(rules[0], /^no-(restricted-properties|eval|implied-eval|new-func)$/);
    });
  }
}

for (const line of STORAGE) {
  test(`the widget keeps nothing but sessionStorage, not even in the console: ${line}`, async () => {
    const rules = await rulesFor("widget/src/probe.js", `export function f(s) {\n  ${line}\n  return s;\n}\n`);
    assert.ok(rules.length >= 1 && rules.every((rule) => /^no-(restricted-|console)/.test(rule)), String(rules));
  });
}

test("the console may keep its mute switch in localStorage", async () => {
  const code = 'export const muted = () => localStorage.getItem("nabij.console.mute") === "1";\n';
  assert.deepEqual(await rulesFor("chatserver/static/console/probe.js", code), []);
});

test("text through textContent and sessionStorage is fine in the widget", async () => {
  const code = 'export function f(el, s) {\n  el.textContent = s;\n  sessionStorage.setItem("nabij.widget", s);\n}\n';
  assert.deepEqual(await rulesFor("widget/src/probe.js", code), []);
});

test("the bug rules are on: loose equality, undefined and unused names, let never reassigned", async () => {
  const code = "export function f(a) {\n  let b = 1;\n  const unused = 2;\n  return a == b || missing;\n}\n";
  const rules = await rulesFor("widget/src/probe.js", code);
  assert.deepEqual(rules.sort(), ["eqeqeq", "no-undef", "no-unused-vars", "prefer-const"]);
});

test("node globals are known in node scripts, not in the widget", async () => {
  const code = 'export const dir = process.cwd();\n';
  assert.deepEqual(await rulesFor("bench/node/probe.mjs", code), []);
  assert.deepEqual(await rulesFor("widget/src/probe.js", code), ["no-undef"]);
});
