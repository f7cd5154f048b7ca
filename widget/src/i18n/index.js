// The catalogue for the configured language; Dutch unless the host asked for English.
import en from "./en.js";
import nl from "./nl.js";

export function catalogue(lang) {
  return lang === "en" ? en : nl;
}
