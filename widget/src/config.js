// The host configures the widget with data attributes on its script tag. Everything is
// checked here, once: a wrong or missing value falls back to the default instead of
// breaking the page. A missing attribute reads as `undefined`, which `new URL` would turn
// into the relative URL ".../undefined": every parser takes only a non-empty string.
const DEFAULT_EXIT_URL = "https://www.buienradar.nl/";
const MAX_CONTACTS = 5;

export function readConfig(script) {
  const data = script.dataset;
  return {
    origin: new URL(script.src, location.href).origin,
    lang: data.lang === "en" ? "en" : "nl",
    position: data.position === "left" ? "left" : "right",
    accent: colour(data.accent),
    exitUrl: webUrl(data.exitUrl) || DEFAULT_EXIT_URL,
    contacts: contacts(data.contacts),
  };
}

function colour(value) {
  return given(value) && CSS.supports("color", value) ? value : null;
}

function given(value) {
  return typeof value === "string" && value.trim() !== "";
}

export function webUrl(value) {
  if (!given(value)) return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

// data-contacts='[{"name": "Bel ons", "phone": "085-1234567", "note": "ma-vr 9-17 uur"},
//                 {"name": "WhatsApp", "url": "https://wa.me/31612345678"}]'
function contacts(raw) {
  let list;
  try {
    list = JSON.parse(given(raw) ? raw : "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.slice(0, MAX_CONTACTS).map(contact).filter(Boolean);
}

function contact(item) {
  if (!item || typeof item.name !== "string" || !item.name.trim()) return null;
  const phone = typeof item.phone === "string" && /^\+?[\d][\d \-()]{2,20}$/.test(item.phone);
  const url = webUrl(item.url);
  if (!phone && !url) return null;
  return {
    name: item.name.slice(0, 60),
    phone: phone ? item.phone : null,
    url: phone ? null : url,
    note: typeof item.note === "string" ? item.note.slice(0, 80) : "",
  };
}
