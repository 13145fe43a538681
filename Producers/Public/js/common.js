/* Pizzeria: helpers shared by every page (DOM building, fetch, formatting, live streams).
 * Plain ES2020, no dependencies. Exposes one global: window.Pizzeria.
 * Rule for every page: text from the server or the user only ever reaches the DOM through
 * textContent / createTextNode (see el()); markup is never parsed from strings. */
"use strict";

(function (global) {
  const STATUS_ORDER = ["placed", "accepted", "baking", "ready", "out_for_delivery", "delivered"];
  const STATUS_LABELS = {
    placed: "Placed",
    accepted: "Accepted",
    baking: "Baking",
    ready: "Ready",
    out_for_delivery: "Out for delivery",
    delivered: "Delivered",
    cancelled: "Cancelled",
  };
  const FINAL_STATUSES = new Set(["delivered", "cancelled"]);
  const CURRENCY_SYMBOL = "€";

  function statusLabel(status) {
    if (Object.prototype.hasOwnProperty.call(STATUS_LABELS, status)) return STATUS_LABELS[status];
    return String(status == null ? "" : status).replace(/_/g, " ");
  }

  // ---------------------------------------------------------------- DOM

  const PROPERTY_KEYS = new Set(["value", "checked", "disabled", "hidden", "selected", "indeterminate", "open", "required"]);

  /** el("button", {class: "btn", type: "button", dataset: {testid: "x"}}, "text", childNode, [more]) */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value == null || value === false) continue;
        if (/^on/i.test(key)) throw new Error("el(): use addEventListener, not " + key);
        if (key === "class") node.className = value;
        else if (key === "text") node.textContent = String(value);
        else if (key === "dataset") Object.assign(node.dataset, value);
        else if (key === "style" && typeof value === "object") Object.assign(node.style, value);
        else if (PROPERTY_KEYS.has(key)) node[key] = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children) {
      if (child == null || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else if (child instanceof Node) node.appendChild(child);
      else node.appendChild(document.createTextNode(String(child)));
    }
    return node;
  }

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  /** Runs fn (which may rebuild DOM) and puts keyboard focus back on the "same" control. */
  function keepFocus(fn) {
    const active = document.activeElement;
    const key = active && active !== document.body
      ? (active.dataset && (active.dataset.focusKey || active.dataset.testid)) || active.id
      : null;
    const result = fn();
    if (key && !document.contains(active)) {
      const again = document.querySelector(`[data-focus-key="${cssEscape(key)}"]`) ||
        document.querySelector(`[data-testid="${cssEscape(key)}"]`) || document.getElementById(key);
      if (again) again.focus({ preventScroll: true });
    }
    return result;
  }

  function cssEscape(text) {
    return global.CSS && CSS.escape ? CSS.escape(text) : String(text).replace(/["\\]/g, "\\$&");
  }

  /** Screen-reader announcement through the page's polite live region (#announcer). */
  function announce(message) {
    const region = document.getElementById("announcer");
    if (!region) return;
    region.textContent = "";
    // A separate task so that the same message twice in a row is still read out.
    setTimeout(() => { region.textContent = message; }, 50);
  }

  /** A short visible message in #toasts (itself a polite live region). */
  function toast(message, kind = "info", ms = 5000) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const item = el("p", { class: `toast toast-${kind}` }, message);
    box.appendChild(item);
    setTimeout(() => item.remove(), ms);
    while (box.children.length > 4) box.firstElementChild.remove();
  }

  // ---------------------------------------------------------------- HTTP

  /** Milliseconds to add to Date.now() to get the server's clock (from the Date header). */
  let serverOffsetMs = 0;

  function loginUrl() {
    return "/staff/login?next=" + encodeURIComponent(location.pathname + location.search);
  }

  /**
   * fetch + JSON. Resolves to {ok, status, data, networkError}; never rejects.
   * options: method, json (object sent as JSON), body (raw string), headers, staff (401 → login page).
   */
  async function api(url, options = {}) {
    const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["Content-Type"] = "application/json";
    } else if (typeof body === "string") {
      headers["Content-Type"] = headers["Content-Type"] || "application/json";
    }
    let response;
    try {
      response = await fetch(url, {
        method: options.method || "GET",
        headers,
        body,
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (error) {
      return { ok: false, status: 0, data: null, networkError: true };
    }
    noteServerDate(response.headers.get("Date"));
    let data = null;
    const text = await response.text().catch(() => "");
    if (text) {
      try { data = JSON.parse(text); } catch (_) { data = null; }
    }
    if (response.status === 401 && options.staff) {
      location.assign(loginUrl());
    }
    return { ok: response.ok, status: response.status, data, networkError: false };
  }

  function noteServerDate(header) {
    if (!header) return;
    const server = Date.parse(header);
    if (Number.isNaN(server)) return;
    const offset = server - Date.now();
    // The header has one-second resolution: only correct clocks that are clearly off.
    serverOffsetMs = Math.abs(offset) > 2000 ? offset : 0;
  }

  function serverNow() {
    return Date.now() + serverOffsetMs;
  }

  /** The error message of a failed api() result, for people. */
  function errorMessage(result, fallback) {
    if (result.networkError) return "Could not reach the server. Check the connection and try again.";
    if (result.data && typeof result.data.message === "string" && result.data.message) return result.data.message;
    return `${fallback || "Something went wrong"} (HTTP ${result.status}).`;
  }

  // ---------------------------------------------------------------- formatting

  function formatMoney(cents) {
    const value = Number(cents) || 0;
    const sign = value < 0 ? "-" : "";
    return `${sign}${CURRENCY_SYMBOL}${(Math.abs(value) / 100).toFixed(2)}`;
  }

  function parseTime(iso) {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? null : new Date(ms);
  }

  /** Local wall-clock time of an ISO 8601 instant, e.g. "19:42:05". */
  function formatClock(iso) {
    const date = parseTime(iso);
    if (!date) return "";
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function formatDateTime(iso) {
    const date = parseTime(iso);
    if (!date) return "";
    return date.toLocaleString([], { dateStyle: "medium", timeStyle: "medium" });
  }

  /** mm:ss (minutes keep counting past 59), for timers. */
  function formatDuration(seconds) {
    if (seconds == null || !Number.isFinite(Number(seconds))) return "—";
    const total = Math.max(0, Math.floor(Number(seconds)));
    const minutes = Math.floor(total / 60);
    const secs = total % 60;
    return `${String(minutes).padStart(2, "0")}:${String(secs).padStart(2, "0")}`;
  }

  /** "45 s", "3 min 12 s", "2 h 5 min", "4 d 3 h", for ages. */
  function formatAge(seconds) {
    const s = Math.max(0, Math.floor(Number(seconds) || 0));
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
  }

  /** The short number staff and customers say aloud: the id's last 8 characters, upper-cased (as the
   *  server's OrderNumber; ids are UUIDv7, whose first characters are the time). */
  function orderNumber(id) {
    return String(id).slice(-8).toUpperCase();
  }

  /** A random UUID; crypto.randomUUID only exists on https/localhost, getRandomValues everywhere. */
  function uuid() {
    if (global.crypto && typeof crypto.randomUUID === "function") {
      try { return crypto.randomUUID(); } catch (_) { /* insecure context */ }
    }
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function readStorage(key, fallback) {
    try {
      const raw = localStorage.getItem(key);
      return raw == null ? fallback : JSON.parse(raw);
    } catch (_) {
      return fallback;
    }
  }

  function writeStorage(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (_) { /* private mode, quota */ }
  }

  // ---------------------------------------------------------------- live streams

  /**
   * An EventSource that reports its state ("connecting", "live", "reconnecting", "closed") and
   * reconnects with backoff even when the browser gives up (HTTP error → readyState CLOSED).
   * While the browser retries by itself (readyState CONNECTING) it resumes with Last-Event-ID.
   */
  class LiveStream {
    constructor(url, { events = {}, onState, onOpen, onTrouble } = {}) {
      this.url = url;
      this.events = events;
      this.onState = onState || (() => {});
      this.onOpen = onOpen || (() => {});
      this.onTrouble = onTrouble || (() => {});
      this.failures = 0;
      this.source = null;
      this.timer = null;
      this.stopped = true;
      this.state = "closed";
    }

    start() {
      this.stopped = false;
      this.connect("connecting");
    }

    connect(state) {
      if (this.stopped) return;
      if (typeof EventSource !== "function") { this.setState("reconnecting"); this.onTrouble(); return; }
      const source = new EventSource(this.url);
      this.source = source;
      this.setState(state);
      source.addEventListener("open", () => {
        if (source !== this.source) return;
        this.failures = 0;
        this.setState("live");
        this.onOpen();
      });
      for (const [name, handler] of Object.entries(this.events)) {
        source.addEventListener(name, (event) => {
          if (source !== this.source || this.stopped) return;
          let data;
          try { data = JSON.parse(event.data); } catch (_) { return; }
          handler(data, event);
        });
      }
      source.addEventListener("error", () => {
        if (source !== this.source || this.stopped) return;
        this.setState("reconnecting");
        this.onTrouble();
        if (source.readyState === EventSource.CLOSED) this.retryLater();
      });
    }

    retryLater() {
      clearTimeout(this.timer);
      const delay = Math.min(30000, 1000 * 2 ** Math.min(this.failures, 5)) + Math.random() * 500;
      this.failures += 1;
      this.timer = setTimeout(() => this.connect("reconnecting"), delay);
    }

    /** Closes the stream for good (no browser reconnects). */
    stop(finalState = "closed") {
      this.stopped = true;
      clearTimeout(this.timer);
      if (this.source) this.source.close();
      this.source = null;
      this.setState(finalState);
    }

    setState(state) {
      if (state === this.state) return;
      this.state = state;
      this.onState(state);
    }
  }

  const CONNECTION_TEXT = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Reconnecting…",
    closed: "Offline",
    finished: "Finished",
  };

  /** Paints a .conn indicator element for a LiveStream state. */
  function showConnection(node, state) {
    if (!node) return;
    node.dataset.state = state;
    node.textContent = CONNECTION_TEXT[state] || state;
  }

  global.Pizzeria = Object.freeze({
    STATUS_ORDER,
    STATUS_LABELS,
    FINAL_STATUSES,
    statusLabel,
    orderNumber,
    el,
    append,
    $,
    $$,
    keepFocus,
    announce,
    toast,
    api,
    loginUrl,
    serverNow,
    errorMessage,
    formatMoney,
    parseTime,
    formatClock,
    formatDateTime,
    formatDuration,
    formatAge,
    uuid,
    readStorage,
    writeStorage,
    LiveStream,
    showConnection,
  });
})(window);
