// A small stand-in for the browser's DOM, enough for the modules under test: elements
// with children, text, dataset, classes, attributes and listeners, and a document whose
// getElementById/querySelector answer from a table. Not a browser: the browser tests
// (tests/test_widget_browser.py, the console's) cover real rendering.

/** A DOM element: the parts of Element that the widget's and console's modules use. */
export class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.parent = null;
    this.dataset = {};
    this.attributes = new Map();
    this.listeners = [];
    this.ownText = "";
    this.className = "";
    this.hidden = false;
    this.id = "";
    this.value = "";
    this.classList = new FakeClassList(this);
  }

  get textContent() {
    return this.ownText + this.children.map((child) => child.textContent).join("");
  }

  set textContent(text) {
    this.replaceChildren();
    this.ownText = String(text);
  }

  append(...nodes) {
    for (const node of nodes) this.insertBefore(node, null);
  }

  insertBefore(node, reference) {
    if (node.parent) node.remove();
    const at = reference ? this.children.indexOf(reference) : -1;
    if (at < 0) this.children.push(node);
    else this.children.splice(at, 0, node);
    node.parent = this;
    return node;
  }

  remove() {
    if (!this.parent) return;
    this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }

  replaceChildren() {
    for (const child of [...this.children]) child.remove();
    this.ownText = "";
  }

  setAttribute(name, value) {
    if (name === "class") this.className = String(value);
    else this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    if (name === "class") return this.className;
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  removeAttribute(name) {
    this.attributes.delete(name);
  }

  addEventListener(type, listener, capture) {
    this.listeners.push({ type, listener, capture: Boolean(capture) });
  }

  removeEventListener(type, listener, capture) {
    this.listeners = this.listeners.filter(
      (entry) => !(entry.type === type && entry.listener === listener && entry.capture === Boolean(capture)),
    );
  }

  dispatch(type, event = {}) {
    for (const { listener } of this.listeners.filter((entry) => entry.type === type)) listener(event);
  }

  /** Only `[data-name="value"]`, searched depth first, as the modules use it. */
  querySelector(selector) {
    const match = /^\[data-([a-z-]+)="([^"]*)"\]$/.exec(selector);
    if (!match) throw new Error(`fakedom: unsupported selector ${selector}`);
    const key = match[1].replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
    for (const child of this.children) {
      if (child.dataset[key] === match[2]) return child;
      const deeper = child.querySelector(selector);
      if (deeper) return deeper;
    }
    return null;
  }
}

class FakeClassList {
  constructor(owner) {
    this.owner = owner;
  }

  names() {
    return this.owner.className.split(/\s+/).filter(Boolean);
  }

  add(...names) {
    this.owner.className = [...new Set([...this.names(), ...names])].join(" ");
  }

  remove(...names) {
    this.owner.className = this.names().filter((name) => !names.includes(name)).join(" ");
  }

  contains(name) {
    return this.names().includes(name);
  }

  toggle(name, force) {
    const on = force === undefined ? !this.contains(name) : Boolean(force);
    if (on) this.add(name);
    else this.remove(name);
    return on;
  }
}

/**
 * A document for `globalThis.document`: `byId` answers getElementById (a string becomes an
 * element with that text), `bySelector` answers querySelector.
 */
export function fakeDocument({ byId = {}, bySelector = {}, lang = "nl", title = "" } = {}) {
  const elements = {};
  for (const [id, value] of Object.entries(byId)) {
    elements[id] = typeof value === "string" ? Object.assign(new FakeElement("script"), { textContent: value }) : value;
  }
  return {
    title,
    hidden: false,
    hasFocus: () => true,
    listeners: [],
    addEventListener(type, listener) {
      this.listeners.push({ type, listener });
    },
    dispatch(type, event = {}) {
      for (const entry of this.listeners.filter((item) => item.type === type)) entry.listener(event);
    },
    documentElement: { lang },
    createElement: (tag) => new FakeElement(tag),
    getElementById: (id) => elements[id] || null,
    querySelector: (selector) => bySelector[selector] || null,
  };
}
