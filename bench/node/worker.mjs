// A load worker under Node: the same clients and schedule as bench/load.py's Worker, with the
// official socket.io-client (and ws for the raw-websocket baseline), so the generator costs
// less CPU than python-socketio's client and adds less latency of its own.
//
// Protocol (bench/nodeproto.py is the Python side):
//   stdin, first line:  the spec as JSON (RelaySpec's fields)
//   stdin, then:        {"phase": N} and {"measuring": 0|1}, one JSON object a line;
//                       end of input means STOP (the parent is gone: close and exit)
//   stdout:             {"type": "ready", "opened": N, "errors": {...}} (twice: after the
//                       experts, after the visitors), then {"type": "report", "tally": {...}}
// Run: node bench/node/worker.mjs  (socket.io-client and ws come from widget/node_modules)

import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";

const require = createRequire(new URL("../../widget/package.json", import.meta.url));
const { io } = require("socket.io-client");
const WebSocket = require("ws");

const STOP = 100;
const OPEN_CONCURRENCY = 20;
const CONNECT_TIMEOUT_MS = 10_000;
const LOGIN_TRIES = 5;
const PASSWORD = "bench-password-1234";

/** Wall-clock milliseconds with sub-millisecond resolution. */
const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const state = { phase: 0, measuring: 0, waiters: [], onStep: [] };

function setPhase(value) {
  const changed = value !== state.phase;
  state.phase = value;
  if (changed && value >= 2 && value < STOP) for (const hook of state.onStep) hook();
  const due = state.waiters.filter((w) => state.phase >= w.atLeast);
  state.waiters = state.waiters.filter((w) => state.phase < w.atLeast);
  for (const waiter of due) waiter.resolve();
}

function waitPhase(atLeast) {
  if (state.phase >= atLeast) return Promise.resolve();
  return new Promise((resolve) => state.waiters.push({ atLeast, resolve }));
}

/** One JSON line on stdout; resolves once written (a report can be megabytes long). */
function write(message) {
  return new Promise((resolve, reject) => {
    process.stdout.write(JSON.stringify(message) + "\n", (error) =>
      error ? reject(error) : resolve(),
    );
  });
}

/** At most `limit` holders at once. */
class Gate {
  constructor(limit) {
    this.free = limit;
    this.queue = [];
  }
  async with(fn) {
    if (this.free > 0) this.free -= 1;
    else await new Promise((resolve) => this.queue.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`${what} timed out`);
      error.name = "TimeoutError";
      reject(error);
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A socket.io-client socket on one namespace, websocket transport only. */
class SioConn {
  constructor(url, namespace, { headers = {}, auth } = {}) {
    this.socket = io(url + namespace, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
      extraHeaders: headers,
      auth,
      agent: false,
      // Offer no compression (engine.io-client offers it by default, aiohttp accepts it and
      // would then compress every frame): python-socketio's client offers none either.
      perMessageDeflate: false,
    });
  }
  connect() {
    return new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve(this));
      this.socket.once("connect_error", (error) => reject(error));
    });
  }
  on(event, handler) {
    this.socket.on(event, handler);
  }
  emit(event, data, callback) {
    if (callback) this.socket.emit(event, data, callback);
    else this.socket.emit(event, data);
  }
  call(event, data, timeoutMs = 10_000) {
    return this.socket.timeout(timeoutMs).emitWithAck(event, data);
  }
  close() {
    this.socket.disconnect();
  }
}

/** A raw websocket: JSON frames [event, data, ack_id]; acks ["ack", id, x]. */
class WsConn {
  constructor(url, auth) {
    this.ws = new WebSocket(url.replace(/^http/, "ws") + "/ws", { perMessageDeflate: false });
    this.auth = auth;
    this.handlers = new Map();
    this.acks = new Map();
    this.next = 0;
    this.ws.on("message", (raw) => this.receive(raw));
  }
  connect() {
    return withTimeout(
      new Promise((resolve, reject) => {
        this.ws.once("open", () => {
          this.ws.send(JSON.stringify(["hello", this.auth, null]));
          resolve(this);
        });
        this.ws.once("error", reject);
      }),
      CONNECT_TIMEOUT_MS,
      "connect",
    );
  }
  receive(raw) {
    const [event, data, extra] = JSON.parse(raw.toString());
    if (event === "ack") {
      const callback = this.acks.get(data);
      this.acks.delete(data);
      if (callback) callback(extra);
    } else {
      const handler = this.handlers.get(event);
      if (handler) handler(data);
    }
  }
  on(event, handler) {
    this.handlers.set(event, handler);
  }
  emit(event, data, callback) {
    let ackId = null;
    if (callback) {
      this.next += 1;
      ackId = this.next;
      this.acks.set(ackId, callback);
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify([event, data, ackId]));
  }
  call(event, data, timeoutMs = 10_000) {
    return withTimeout(
      new Promise((resolve) => this.emit(event, data, resolve)),
      timeoutMs,
      event,
    );
  }
  close() {
    this.ws.terminate();
  }
}

function fakeAddress(kind, index) {
  return `127.${kind}.${Math.floor(index / 256) % 256}.${index % 256}`;
}

function expertName(index) {
  return `bench${String(index).padStart(4, "0")}`;
}

/** Sign in; retry a 503 (SQLite busy under a burst of sign-ins) up to LOGIN_TRIES times. */
async function login(url, index, headers) {
  const body = JSON.stringify({ username: expertName(index), password: PASSWORD });
  for (let attempt = 0; attempt < LOGIN_TRIES; attempt += 1) {
    const response = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body,
    });
    if (response.status === 200) {
      for (const cookie of response.headers.getSetCookie()) {
        const match = /^nabij_session=([^;]*)/.exec(cookie);
        if (match) return match[1];
      }
      throw new Error(`login ${index}: no session cookie`);
    }
    const text = await response.text();
    if (response.status !== 503 || attempt === LOGIN_TRIES - 1) {
      throw new Error(`login ${index}: ${response.status} ${text}`);
    }
    await sleep(200 * (attempt + 1));
  }
  throw new Error("unreachable");
}

async function openExpert(kind, url, index) {
  if (kind === "ws") return new WsConn(url, { role: "expert", expert: index }).connect();
  if (kind === "sio") return new SioConn(url, "/", { auth: { role: "expert", expert: index } }).connect();
  const headers = { "X-Forwarded-For": fakeAddress(200, index) };
  const token = await login(url, index, headers);
  const conn = await new SioConn(url, "/staff", {
    headers: { ...headers, Cookie: `nabij_session=${token}` },
  }).connect();
  const ack = await conn.call("presence:set", { available: true });
  if (!ack?.ok) {
    conn.close();
    throw new Error(`presence:set ${index}: ${JSON.stringify(ack)}`);
  }
  return conn;
}

async function openVisitor(kind, url, index) {
  if (kind === "ws") return new WsConn(url, { role: "visitor" }).connect();
  if (kind === "sio") return new SioConn(url, "/", { auth: { role: "visitor" } }).connect();
  const address = fakeAddress(100 + Math.floor(index / 65536), index);
  return new SioConn(url, "/visitor", { headers: { "X-Forwarded-For": address } }).connect();
}

/** The worker: what bench/load.py's Worker does, one process, one event loop. */
class Worker {
  constructor(spec) {
    this.spec = spec;
    this.tally = {
      v2e: {},
      e2v: {},
      errors: {},
      opened: 0,
      assigned_ms: [],
      assigned_counts: [],
      expert_conversations: [],
    };
    this.conns = [];
    this.senders = [];
    this.pad = "x".repeat(spec.body_size);
    this.counter = 0;
    state.onStep.push(() => {
      for (const sender of this.senders) sender.restart();
    });
  }

  count(key) {
    this.tally.errors[key] = (this.tally.errors[key] ?? 0) + 1;
  }

  body(step) {
    return `${step}|${state.measuring}|${nowMs().toFixed(3)}|${this.pad}`;
  }

  cid() {
    this.counter += 1;
    return `n${process.pid}-${this.counter}`;
  }

  receiver(into) {
    return (data) => {
      const now = nowMs();
      const [step, measured, sent] = String(data.body).split("|", 3);
      if (measured === "1") (into[step] ??= []).push(now - Number(sent));
    };
  }

  acked(ack) {
    if (!ack?.ok) this.count(`send:${ack?.error?.code ?? "?"}`);
  }

  /** Milliseconds between two messages of one client in this step (as load.py's interval). */
  intervalMs(expert) {
    const own = this.spec.intervals[state.phase - 2];
    if (!expert) return 1000 * own;
    const fixed = this.spec.expert_interval;
    return 1000 * (this.spec.expert_follows ? Math.max(own, fixed) : fixed);
  }

  /**
   * Send on a fixed schedule with a random phase; catch up no further than one interval.
   * A new step starts a new random phase, so no client waits out the previous step's interval.
   */
  startSender(conn, payload, expert) {
    let nextAt = null;
    let timer = null;
    const tick = () => {
      if (state.phase < 2 || state.phase >= STOP) return; // the step hook restarts it
      const interval = this.intervalMs(expert);
      const now = performance.now();
      if (nextAt === null || nextAt < now - interval) {
        nextAt = now + Math.random() * interval;
        timer = setTimeout(tick, nextAt - now);
        return;
      }
      if (nextAt > now) {
        timer = setTimeout(tick, nextAt - now);
        return;
      }
      conn.emit("message:send", payload(this.body(state.phase - 2)), (ack) => this.acked(ack));
      nextAt += interval;
      timer = setTimeout(tick, Math.max(0, nextAt - performance.now()));
    };
    tick();
    this.senders.push({
      cancel: () => clearTimeout(timer),
      restart: () => {
        clearTimeout(timer);
        nextAt = null;
        tick();
      },
    });
  }

  async openExperts() {
    const gate = new Gate(OPEN_CONCURRENCY / 2);
    const one = async (index) => {
      let conn;
      try {
        conn = await gate.with(() => openExpert(this.spec.kind, this.spec.expert_url, index));
      } catch (error) {
        this.count(`expert:${error.name}:${error.message}`.slice(0, 120));
        return;
      }
      this.conns.push(conn);
      conn.on("message:new", this.receiver(this.tally.v2e));
      conn.on("chat:assigned", (data) => this.assigned(conn, data));
    };
    await Promise.all(this.spec.experts.map(one));
  }

  assigned(conn, data) {
    const conversation = String(data.conversation_id);
    this.tally.expert_conversations.push(conversation);
    if (this.spec.mode === "relay") {
      const payload = (body) => ({ conversation_id: conversation, client_id: this.cid(), body });
      this.startSender(conn, payload, true);
    }
  }

  async openVisitor(index, gate) {
    try {
      const conn = await gate.with(() => openVisitor(this.spec.kind, this.spec.visitor_url, index));
      this.conns.push(conn);
      this.tally.opened += 1;
      return conn;
    } catch (error) {
      this.count(`visitor:${error.name}`);
      return null;
    }
  }

  async request(conn) {
    const ack = await conn.call("chat:request", { audience: "unknown" }, 30_000);
    if (!ack?.ok) {
      this.count(`request:${ack?.error?.code ?? null}`);
      return false;
    }
    if ((ack.position ?? 0) > 0) this.count("request:queued");
    return true;
  }

  async relayVisitor(index, gate) {
    const conn = await this.openVisitor(index, gate);
    if (conn === null) return;
    conn.on("message:new", this.receiver(this.tally.e2v));
    let ok;
    try {
      ok = await gate.with(() => this.request(conn));
    } catch (error) {
      this.count(`request:${error.name}`);
      return;
    }
    if (ok) this.startSender(conn, (body) => ({ client_id: this.cid(), body }), false);
  }

  async routingVisitors() {
    const gate = new Gate(OPEN_CONCURRENCY);
    const conns = [];
    for (const index of this.spec.visitors) conns.push(await this.openVisitor(index, gate));
    await this.reportReady();
    await waitPhase(2);
    const ask = async (conn) => {
      let count = 0;
      const start = performance.now();
      const first = new Promise((resolve) => {
        conn.on("chat:assigned", () => {
          count += 1;
          resolve(performance.now());
        });
      });
      try {
        await this.request(conn);
        const done = await withTimeout(first, 30_000, "chat:assigned");
        this.tally.assigned_ms.push(done - start);
      } catch (error) {
        this.count(`routing:${error.name}`);
      }
      await waitPhase(3);
      this.tally.assigned_counts.push(count);
    };
    await Promise.all(conns.filter((c) => c !== null).map(ask));
  }

  reportReady() {
    return write({ type: "ready", opened: this.tally.opened, errors: this.tally.errors });
  }

  async run() {
    try {
      await this.openExperts();
      await this.reportReady();
      await waitPhase(1);
      if (this.spec.mode === "routing") {
        await this.routingVisitors();
      } else {
        const gate = new Gate(OPEN_CONCURRENCY);
        const open =
          this.spec.mode === "idle"
            ? (index) => this.openVisitor(index, gate)
            : (index) => this.relayVisitor(index, gate);
        await Promise.all(this.spec.visitors.map(open));
        await this.reportReady();
      }
      await waitPhase(STOP);
      await sleep(500); // let the last in-flight messages land
      await write({ type: "report", tally: this.tally }); // before process.exit cuts it off
    } finally {
      for (const sender of this.senders) sender.cancel();
      for (const conn of this.conns) conn.close();
    }
  }
}

function steer(line) {
  const message = JSON.parse(line);
  if (typeof message.measuring === "number") state.measuring = message.measuring;
  if (typeof message.phase === "number") setPhase(message.phase);
}

async function main() {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let worker = null;
  let running = null;
  lines.on("line", (line) => {
    if (!line.trim()) return;
    if (worker === null) {
      worker = new Worker(JSON.parse(line));
      running = worker.run();
      running.then(
        () => process.exit(0),
        (error) => {
          process.stderr.write(`bench worker: ${error.stack ?? error}\n`);
          process.exit(1);
        },
      );
    } else {
      steer(line);
    }
  });
  lines.on("close", () => {
    setPhase(STOP);
    setTimeout(() => process.exit(running === null ? 0 : 2), 5_000).unref();
  });
}

main();
