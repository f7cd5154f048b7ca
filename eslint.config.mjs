// ESLint for all of Nabij's JavaScript (scripts/test runs it; README.md "Tests").
// The packages live in widget/node_modules (widget/package.json pins them), so they are
// loaded from there: this file sits at the root because it covers more than the widget.
// Safety rules from THREAT_MODEL.md are encoded here where a lint rule can hold them:
// no markup parsing anywhere (text goes in as textContent), no eval-like calls anywhere,
// and the widget keeps nothing in the browser but sessionStorage (no cookies, no
// localStorage, nothing in the console), so a shared computer shows nothing afterwards.
import { createRequire } from "node:module";

const require = createRequire(new URL("./widget/package.json", import.meta.url));
const js = require("@eslint/js");
const globals = require("globals");

/** Properties whose use parses a string as markup (or writes into the document raw). */
const MARKUP = ["innerHTML", "outerHTML", "insertAdjacentHTML", "createContextualFragment"].map(
  (property) => ({ property, message: "Build DOM with textContent and createElement, never markup." }),
);
const DOCUMENT_WRITE = ["write", "writeln"].map((property) => ({
  object: "document",
  property,
  message: "document.write parses markup; build DOM with createElement.",
}));
const WIDGET_STORAGE = [
  { property: "localStorage", message: "The widget keeps nothing beyond the tab: sessionStorage only." },
  { property: "cookie", message: "The widget sets no cookies (docs/widget.md, Privacy)." },
];

/** Rules that catch real bugs, for every file. */
const BUGS = {
  eqeqeq: ["error", "always"],
  "no-implicit-globals": "error",
  "prefer-const": "error",
  "no-undef": "error",
  "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all", caughtErrorsIgnorePattern: "^_$" }],
  "no-eval": "error",
  "no-implied-eval": "error",
  "no-new-func": "error",
  "no-script-url": "error",
};

export default [
  { ignores: ["**/node_modules/**", "widget/dist/**", "**/.venv/**"] },
  js.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: BUGS,
  },
  {
    // Scripts that run in node: the widget's build, the benchmark worker, the JS tests.
    files: ["widget/build.mjs", "bench/node/**/*.mjs", "tests/js/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    // The tests feed the widget hostile "javascript:" addresses on purpose.
    files: ["tests/js/**/*.mjs"],
    rules: { "no-script-url": "off" },
  },
  {
    // The staff console and report pages: served as ES modules by Nabij, in a browser.
    files: ["chatserver/static/**/*.js"],
    languageOptions: { globals: { ...globals.browser, io: "readonly" } },
    rules: { "no-restricted-properties": ["error", ...MARKUP, ...DOCUMENT_WRITE] },
  },
  {
    // The widget: bundled into a page that is not ours, used by a visitor at risk.
    files: ["widget/src/**/*.js"],
    languageOptions: { globals: globals.browser },
    rules: {
      "no-console": "error", // a visitor's console is readable by whoever uses the device next
      "no-restricted-properties": ["error", ...MARKUP, ...DOCUMENT_WRITE, ...WIDGET_STORAGE],
      "no-restricted-globals": [
        "error",
        { name: "localStorage", message: "The widget keeps nothing beyond the tab: sessionStorage only." },
        { name: "indexedDB", message: "The widget keeps nothing beyond the tab: sessionStorage only." },
      ],
    },
  },
];
