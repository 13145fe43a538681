/* Pizzeria: live order tracking page (/track/<id>#token=<token>). */
"use strict";

(() => {
  const P = window.Pizzeria;
  const { el, $ } = P;

  const BLURBS = {
    placed: "We have your order and are passing it to the kitchen.",
    accepted: "The kitchen has accepted your order.",
    baking: "Your pizza is in the oven.",
    ready: "Out of the oven and boxed, waiting for a rider.",
    out_for_delivery: "Your pizza is on its way to you.",
    delivered: "Delivered. Buon appetito!",
    cancelled: "This order was cancelled. If you were charged, it will be refunded.",
  };
  const POLL_MS = 5000;

  const orderId = lastPathSegment();
  const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";

  const state = {
    status: null,
    seq: -Infinity,
    history: new Map(), // seq → {seq, status, at}
    items: [],
    totalCents: null,
    customerName: "",
    rendered: false,
    finished: false,
  };
  let names = new Map(); // pizzaId → name, from /api/menu
  let stream = null;
  let pollTimer = null;
  let retryTimer = null;

  function lastPathSegment() {
    const parts = location.pathname.split("/").filter(Boolean);
    const raw = parts.length ? parts[parts.length - 1] : "";
    try { return decodeURIComponent(raw); } catch (_) { return raw; }
  }

  const ordersUrl = () => `/api/orders/${encodeURIComponent(orderId)}`;

  // ------------------------------------------------------------ state updates

  function addHistory(entry) {
    if (!entry || typeof entry.status !== "string") return;
    const seq = Number(entry.seq);
    if (!Number.isFinite(seq)) return;
    state.history.set(seq, { seq, status: entry.status, at: entry.at });
  }

  function applySnapshot(order) {
    if (Array.isArray(order.history)) order.history.forEach(addHistory);
    if (Array.isArray(order.items)) state.items = order.items;
    if (Number.isFinite(order.totalCents)) state.totalCents = order.totalCents;
    if (typeof order.customerName === "string") state.customerName = order.customerName;
    let seq = Number(order.seq);
    if (!Number.isFinite(seq)) seq = Math.max(-1, ...state.history.keys());
    if (typeof order.status === "string" && seq >= state.seq) {
      state.status = order.status;
      state.seq = seq;
    }
    render();
  }

  function applyEvent(event) {
    if (!event || (event.orderId != null && String(event.orderId) !== orderId)) return;
    addHistory(event);
    const seq = Number(event.seq);
    if (typeof event.status === "string" && Number.isFinite(seq) && seq > state.seq) {
      state.status = event.status;
      state.seq = seq;
    }
    render();
  }

  // ------------------------------------------------------------ rendering

  function latestEntry(status) {
    let best = null;
    for (const entry of state.history.values()) {
      if (entry.status === status && entry.seq <= state.seq && (!best || entry.seq > best.seq)) best = entry;
    }
    return best;
  }

  /** Index in STATUS_ORDER of the furthest stage the order has reached (cancelled: before cancelling). */
  function reachedIndex() {
    if (state.status !== "cancelled") return P.STATUS_ORDER.indexOf(state.status);
    const before = [...state.history.values()]
      .filter((e) => e.status !== "cancelled" && e.seq < state.seq)
      .sort((a, b) => b.seq - a.seq)[0];
    return before ? P.STATUS_ORDER.indexOf(before.status) : 0;
  }

  function setTime(node, iso) {
    node.textContent = iso ? P.formatClock(iso) : "";
    if (iso) {
      node.dateTime = iso;
      node.title = P.formatDateTime(iso);
    } else {
      node.removeAttribute("datetime");
      node.removeAttribute("title");
    }
  }

  function render() {
    const previous = $("#current-status").textContent;
    const label = P.statusLabel(state.status);
    const cancelled = state.status === "cancelled";
    const reached = reachedIndex();

    $("#current-status").textContent = label;
    $("#status-card").dataset.status = state.status || "";
    $("#status-blurb").textContent = blurb();
    document.title = `${label} · Your order · Pizzeria`;

    const progress = $("#progress");
    progress.classList.toggle("cancelled", cancelled);
    for (const li of progress.querySelectorAll(".stage")) {
      const status = li.dataset.status;
      if (status === "cancelled") {
        li.hidden = !cancelled;
        li.classList.toggle("done", cancelled);
        li.classList.toggle("current", cancelled);
        setTime(li.querySelector("time"), cancelled ? (latestEntry("cancelled") || {}).at : null);
        setCurrent(li, cancelled);
        continue;
      }
      const index = P.STATUS_ORDER.indexOf(status);
      const done = index <= reached;
      const current = !cancelled && index === reached;
      li.classList.toggle("done", done);
      li.classList.toggle("current", current);
      setCurrent(li, current);
      const entry = done ? latestEntry(status) : null;
      setTime(li.querySelector("time"), entry ? entry.at : null);
    }

    renderItems();
    renderHistory();

    const who = state.customerName ? ` for ${firstName(state.customerName)}` : "";
    $(".order-ref").replaceChildren("Order ", el("code", { id: "order-id" }, orderId), who);

    if (state.rendered && previous !== label) P.announce(`Your order is now: ${label}.`);
    state.rendered = true;

    if (P.FINAL_STATUSES.has(state.status)) finish();
  }

  function setCurrent(li, current) {
    if (current) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  }

  function firstName(name) {
    return String(name).trim().split(/\s+/)[0] || "";
  }

  function blurb() {
    const text = BLURBS[state.status] || "";
    if (state.status !== "delivered") return text;
    const placed = latestEntry("placed");
    const delivered = latestEntry("delivered");
    const start = placed && P.parseTime(placed.at);
    const end = delivered && P.parseTime(delivered.at);
    if (!start || !end || end < start) return text;
    const minutes = Math.max(1, Math.round((end - start) / 60000));
    return `${text} It reached you ${minutes} min after you ordered.`;
  }

  function renderItems() {
    $("#order-items").replaceChildren(...state.items.map((item) => {
      const name = names.get(item.pizzaId) || String(item.pizzaId || "Pizza");
      const quantity = Number(item.quantity) || 0;
      const unit = Number(item.unitPriceCents);
      return el("li", null,
        el("span", null, `${quantity} × ${name} `, el("span", { class: "muted" }, `(${String(item.size || "")})`)),
        Number.isFinite(unit) ? el("span", { class: "line-total" }, P.formatMoney(unit * quantity)) : null);
    }));
    $("#order-total").textContent = state.totalCents == null ? "" : P.formatMoney(state.totalCents);
  }

  function renderHistory() {
    const entries = [...state.history.values()].sort((a, b) => a.seq - b.seq);
    $("#history-list").replaceChildren(...entries.map((entry) => {
      const time = el("time", { datetime: entry.at, title: P.formatDateTime(entry.at) }, P.formatClock(entry.at));
      return el("li", { dataset: { status: entry.status } }, time, " ", el("span", null, P.statusLabel(entry.status)));
    }));
  }

  function showNotFound() {
    stop();
    $("#order-view").hidden = true;
    $("#not-found").hidden = false;
    document.title = "Order not found · Pizzeria";
    $("#main").focus();
  }

  function showLoadProblem(message) {
    $("#status-blurb").textContent = message;
  }

  // ------------------------------------------------------------ loading & live updates

  async function refresh() {
    const result = await P.api(ordersUrl(), { headers: { "X-Tracking-Token": token } });
    if (result.status === 404 || result.status === 400 || result.status === 403) {
      showNotFound();
      return false;
    }
    if (!result.ok || !result.data) {
      if (!state.rendered) {
        showLoadProblem(result.networkError
          ? "We cannot reach the pizzeria right now. Retrying…"
          : `Could not load your order (error ${result.status}). Retrying…`);
      }
      return false;
    }
    applySnapshot(result.data);
    return true;
  }

  function startPolling() {
    if (pollTimer || state.finished) return;
    pollTimer = setInterval(refresh, POLL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function finish() {
    if (state.finished) return;
    state.finished = true;
    stop();
    const conn = $("#conn");
    P.showConnection(conn, "finished");
    conn.hidden = true;
  }

  function stop() {
    stopPolling();
    clearTimeout(retryTimer);
    if (stream) stream.stop("closed");
    stream = null;
  }

  async function loadNames() {
    const result = await P.api("/api/menu");
    if (!result.ok || !result.data || !Array.isArray(result.data.pizzas)) return;
    names = new Map(result.data.pizzas.filter((p) => p && p.id).map((p) => [String(p.id), String(p.name || p.id)]));
    if (state.rendered) renderItems();
  }

  async function start() {
    $("#order-id").textContent = orderId;
    if (!orderId || !token) {
      showNotFound();
      return;
    }
    loadNames();
    if (!(await refresh())) {
      if (!$("#not-found").hidden) return;
      retryTimer = setTimeout(start, 3000);
      return;
    }
    if (state.finished) return;
    stream = new P.LiveStream(
      `${ordersUrl()}/events?token=${encodeURIComponent(token)}`,
      {
        events: { status: applyEvent },
        // Catch up on anything that happened between the first GET and the stream opening.
        onOpen: () => { refresh(); },
        onState: (s) => {
          P.showConnection($("#conn"), s);
          if (s === "live") stopPolling();
          else if (s === "reconnecting") startPolling();
        },
      });
    stream.start();
  }

  start();
})();
