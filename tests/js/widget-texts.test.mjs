// The widget's wait sentence for each kind of range the server sends (docs/protocol.md
// `wait_range_min`), in Dutch and English, through format.js `waitText` as app.js uses it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { waitText } from "../../widget/src/format.js";
import en from "../../widget/src/i18n/en.js";
import nl from "../../widget/src/i18n/nl.js";

const RANGES = [[0, 5], [0, 15], [10, 20], [45, null], [60, null], null, [], ["x", 5]];

test("Dutch wait sentences", () => {
  assert.deepEqual(RANGES.map((range) => waitText(range, nl)), [
    "Geschatte wachttijd: een paar minuten.",
    "Geschatte wachttijd: minder dan 15 minuten.",
    "Geschatte wachttijd: ongeveer 10–20 minuten.",
    "Geschatte wachttijd: meer dan 45 minuten.",
    "Geschatte wachttijd: meer dan een uur.",
    "",
    "",
    "",
  ]);
});

test("English wait sentences", () => {
  assert.deepEqual(RANGES.map((range) => waitText(range, en)), [
    "Estimated wait: a few minutes.",
    "Estimated wait: less than 15 minutes.",
    "Estimated wait: about 10–20 minutes.",
    "Estimated wait: more than 45 minutes.",
    "Estimated wait: more than an hour.",
    "",
    "",
    "",
  ]);
});
