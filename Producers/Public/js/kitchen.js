/* Pizzeria: kitchen display (/kitchen). Ticket cards, age timers, bump / recall, live sync. */
"use strict";

(() => {
  const P = window.Pizzeria;
  const { el, $ } = P;

  const STAGES = ["accepted", "baking", "ready"];
  const NEXT = { accepted: "Baking", baking: "Ready", ready: "Delivery" };
  const REFRESH_DEBOUNCE_MS = 200;
  const SAFETY_REFRESH_MS = 15000;

  let tickets = [];
  let settings = { amberAfterSeconds: 300, redAfterSeconds: 600, averageTicketSeconds: null, mode: "" };
  let selectedId = null;
  let selectedIndex = 0;
  let lastBumped = null; // {orderId, number}
  const pending = new Set();
  const cards = new Map(); // orderId → {node, signature}
  let loadedOnce = false;
  let requestNumber = 0;
  let refreshTimer = null;

  // ------------------------------------------------------------ data

  async function fetchTickets() {
    const mine = ++requestNumber;
    const result = await P.api("/api/kitchen/tickets", { staff: true });
    if (mine !== requestNumber) return; // a newer request is on its way
    const box = $("#load-error");
    if (!result.ok || !result.data || !Array.isArray(result.data.tickets)) {
      if (result.status === 401) return; // redirecting to the login page
      box.textContent = P.errorMessage(result, "Could not load the tickets") + " Retrying…";
      box.hidden = false;
      return;
    }
    box.hidden = true;
    const data = result.data;
    tickets = data.tickets.filter((t) => t && t.orderId != null).map((t) => ({ ...t, orderId: String(t.orderId) }));
    settings = {
      amberAfterSeconds: Number.isFinite(data.amberAfterSeconds) ? data.amberAfterSeconds : settings.amberAfterSeconds,
      redAfterSeconds: Number.isFinite(data.redAfterSeconds) ? data.redAfterSeconds : settings.redAfterSeconds,
      averageTicketSeconds: Number.isFinite(data.averageTicketSeconds) ? data.averageTicketSeconds : null,
      mode: typeof data.mode === "string" ? data.mode : "",
    };
    render();
    loadedOnce = true;
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(fetchTickets, REFRESH_DEBOUNCE_MS);
  }

  // ------------------------------------------------------------ rendering

  function render() {
    for (const stage of STAGES) {
      $(`#count-${stage}`).textContent = String(tickets.filter((t) => t.status === stage).length);
    }
    $("#avg-time").textContent = settings.averageTicketSeconds == null ? "—" : P.formatDuration(settings.averageTicketSeconds);
    $("#mode").textContent = settings.mode === "timed" ? "Timed" : settings.mode === "manual" ? "Manual" : settings.mode || "—";
    $("#empty").hidden = tickets.length > 0;
    $("#recall-last").disabled = !lastBumped;

    if (selectedId && !tickets.some((t) => t.orderId === selectedId)) {
      // The selected ticket left the display: select its neighbour.
      const next = tickets[Math.min(selectedIndex, tickets.length - 1)];
      selectedId = next ? next.orderId : null;
    }

    const hadFocus = $("#tickets").contains(document.activeElement);
    P.keepFocus(() => {
      const list = $("#tickets");
      const seen = new Set();
      let previous = null;
      for (const ticket of tickets) {
        seen.add(ticket.orderId);
        const signature = JSON.stringify([ticket, pending.has(ticket.orderId)]);
        let entry = cards.get(ticket.orderId);
        if (!entry || entry.signature !== signature) {
          const node = buildCard(ticket);
          if (entry) {
            if (entry.status !== ticket.status) flash(node, "changed");
            entry.node.replaceWith(node);
          } else if (loadedOnce) {
            flash(node, "is-new", 8000);
          }
          entry = { node, signature, status: ticket.status };
          cards.set(ticket.orderId, entry);
        }
        const wanted = previous ? previous.nextSibling : list.firstChild;
        if (entry.node !== wanted) list.insertBefore(entry.node, wanted);
        previous = entry.node;
      }
      for (const [id, entry] of cards) {
        if (!seen.has(id)) {
          entry.node.remove();
          cards.delete(id);
        }
      }
    });
    // Focus was on a card that has gone (bumped off the display): move it to the new selection.
    const lost = hadFocus && (!document.activeElement || document.activeElement === document.body);
    paintSelection(lost);
    tick();
  }

  function flash(node, className, ms = 1200) {
    node.classList.add(className);
    setTimeout(() => node.classList.remove(className), ms);
  }

  const domId = (orderId) => String(orderId).replace(/[^A-Za-z0-9_-]/g, "_");

  function firstName(name) {
    return String(name || "").trim().split(/\s+/)[0] || "—";
  }

  function buildCard(ticket) {
    const id = ticket.orderId;
    const number = String(ticket.number || P.orderNumber(id));
    const busy = pending.has(id);
    const bump = el("button", {
      type: "button", class: "btn bump", dataset: { testid: `bump-${id}` }, "aria-disabled": busy ? "true" : null,
      "aria-label": `Bump ticket ${number} to ${NEXT[ticket.status] || "next stage"}`,
    }, el("span", null, "Bump"), el("span", { class: "bump-next", "aria-hidden": "true" }, `→ ${NEXT[ticket.status] || "next"}`));
    bump.addEventListener("click", () => { select(id, false); doBump(id); });

    let recall = null;
    if (ticket.canRecall) {
      recall = el("button", {
        type: "button", class: "btn recall", dataset: { testid: `recall-${id}` }, "aria-disabled": busy ? "true" : null,
        "aria-label": `Recall ticket ${number}`,
      }, "Recall");
      recall.addEventListener("click", () => { select(id, false); doRecall(id); });
    }

    const items = Array.isArray(ticket.items) ? ticket.items : [];
    const card = el("li", {
      class: `ticket stage-${String(ticket.status)}`,
      tabindex: "-1",
      "aria-labelledby": `tnum-${domId(id)}`,
      "aria-busy": busy ? "true" : null,
      dataset: { testid: `ticket-${id}`, orderId: id, status: String(ticket.status), canRecall: ticket.canRecall ? "true" : "false" },
    },
      el("div", { class: "ticket-head" },
        el("h2", { class: "ticket-number", id: `tnum-${domId(id)}` }, el("span", { class: "hash", "aria-hidden": "true" }, "#"), number),
        el("span", { class: "ticket-age", role: "timer", dataset: { placedAt: String(ticket.placedAt || "") }, title: "Time since the order was placed" }, "00:00")),
      el("div", { class: "ticket-meta" },
        el("span", { class: "ticket-customer" }, firstName(ticket.customerName)),
        el("span", { class: `stage-badge stage-badge-${String(ticket.status)}` }, P.statusLabel(ticket.status))),
      el("ul", { class: "ticket-items" }, items.map((item) =>
        el("li", null,
          el("span", { class: "item-qty" }, `${Number(item.quantity) || 0}×`), " ",
          el("span", { class: "item-name" }, String(item.name || "")), " ",
          el("span", { class: "item-size" }, String(item.size || ""))))),
      ticket.notes ? el("p", { class: "ticket-notes" }, el("strong", null, "Note: "), String(ticket.notes)) : null,
      el("div", { class: "ticket-actions" }, bump, recall));

    card.addEventListener("click", (event) => {
      if (!event.target.closest("button")) select(id, true);
    });
    card.addEventListener("focusin", () => {
      if (selectedId !== id) { selectedId = id; paintSelection(false); }
    });
    return card;
  }

  /** Updates the age timers and the amber / red states (every second). */
  function tick() {
    const now = P.serverNow();
    for (const { node } of cards.values()) {
      const timer = node.querySelector(".ticket-age");
      const placed = P.parseTime(timer.dataset.placedAt);
      const age = placed ? Math.max(0, (now - placed.getTime()) / 1000) : 0;
      timer.textContent = P.formatDuration(age);
      const red = age >= settings.redAfterSeconds;
      const amber = !red && age >= settings.amberAfterSeconds;
      node.classList.toggle("age-red", red);
      node.classList.toggle("age-amber", amber);
    }
  }

  // ------------------------------------------------------------ selection & keyboard

  function select(id, focus) {
    selectedId = id;
    paintSelection(focus);
  }

  function paintSelection(focus) {
    const index = tickets.findIndex((t) => t.orderId === selectedId);
    if (index >= 0) selectedIndex = index;
    let first = true;
    for (const [id, { node }] of cards) {
      const selected = id === selectedId;
      node.classList.toggle("selected", selected);
      node.tabIndex = selected || (!selectedId && first) ? 0 : -1;
      first = false;
      if (selected && focus) {
        node.focus({ preventScroll: true });
        node.scrollIntoView({ block: "nearest", inline: "nearest" });
      }
    }
  }

  function columns() {
    const template = getComputedStyle($("#tickets")).gridTemplateColumns;
    return Math.max(1, template && template !== "none" ? template.split(" ").filter(Boolean).length : 1);
  }

  function moveSelection(key) {
    if (!tickets.length) return;
    const current = tickets.findIndex((t) => t.orderId === selectedId);
    let index;
    if (current < 0) index = 0;
    else if (key === "ArrowRight") index = current + 1;
    else if (key === "ArrowLeft") index = current - 1;
    else if (key === "ArrowDown") index = current + columns();
    else if (key === "ArrowUp") index = current - columns();
    else if (key === "Home") index = 0;
    else index = tickets.length - 1;
    index = Math.max(0, Math.min(tickets.length - 1, index));
    select(tickets[index].orderId, true);
  }

  function onKeyDown(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target instanceof Element ? event.target : document.body;
    if (target.closest("input, textarea, select, [contenteditable], dialog")) return;
    const onControl = Boolean(target.closest("button, a"));
    switch (event.key) {
      case "ArrowRight": case "ArrowLeft": case "ArrowDown": case "ArrowUp": case "Home": case "End":
        event.preventDefault();
        moveSelection(event.key);
        break;
      case "Enter": case " ":
        if (onControl || !selectedId) return; // buttons and links do their own thing
        event.preventDefault();
        doBump(selectedId);
        break;
      case "Backspace":
        event.preventDefault();
        recallFromKeyboard();
        break;
      default:
    }
  }

  function recallFromKeyboard() {
    const selected = tickets.find((t) => t.orderId === selectedId);
    if (selected && selected.canRecall) doRecall(selected.orderId);
    else if (lastBumped) doRecall(lastBumped.orderId);
    else P.toast("Nothing to recall.", "info", 2500);
  }

  // ------------------------------------------------------------ actions

  function ticketNumber(id) {
    const ticket = tickets.find((t) => t.orderId === id);
    if (ticket && ticket.number) return String(ticket.number);
    if (lastBumped && lastBumped.orderId === id) return lastBumped.number;
    return P.orderNumber(id);
  }

  /** The ticket in a bump / recall answer: either the ticket itself or {"ticket": {...}}. */
  function ticketFrom(data) {
    if (!data || typeof data !== "object") return null;
    const ticket = data.ticket && typeof data.ticket === "object" ? data.ticket : data;
    return ticket.orderId != null && typeof ticket.status === "string" ? { ...ticket, orderId: String(ticket.orderId) } : null;
  }

  function mergeTicket(id, ticket) {
    const index = tickets.findIndex((t) => t.orderId === id);
    if (ticket && STAGES.includes(ticket.status)) {
      if (index >= 0) tickets[index] = { ...tickets[index], ...ticket };
      else tickets.push(ticket); // a recalled ticket comes back; the refresh puts it in place
    } else if (ticket && index >= 0) {
      tickets.splice(index, 1);
    }
  }

  async function doBump(id) {
    if (pending.has(id)) return;
    const number = ticketNumber(id);
    pending.add(id);
    render();
    const result = await P.api(`/api/kitchen/tickets/${encodeURIComponent(id)}/bump`, { method: "POST", staff: true });
    pending.delete(id);
    if (result.ok) {
      const ticket = ticketFrom(result.data);
      mergeTicket(id, ticket);
      lastBumped = { orderId: id, number };
      const where = ticket && STAGES.includes(ticket.status) ? P.statusLabel(ticket.status) : "handed to delivery";
      P.toast(`#${number} → ${where}`, "ok", 3000);
    } else if (result.status !== 401) {
      P.toast(`#${number}: ${P.errorMessage(result, "Bump failed")}`, "error");
    }
    render();
    scheduleRefresh();
  }

  async function doRecall(id) {
    if (pending.has(id)) return;
    const number = ticketNumber(id);
    pending.add(id);
    render();
    const result = await P.api(`/api/kitchen/tickets/${encodeURIComponent(id)}/recall`, { method: "POST", staff: true });
    pending.delete(id);
    if (result.ok) {
      const ticket = ticketFrom(result.data);
      if (ticket) mergeTicket(id, ticket);
      if (lastBumped && lastBumped.orderId === id) lastBumped = null;
      P.toast(`#${number} recalled${ticket ? ` to ${P.statusLabel(ticket.status)}` : ""}`, "ok", 3000);
      if (ticket) selectedId = id;
    } else if (result.status !== 401) {
      if (result.status === 409 && lastBumped && lastBumped.orderId === id) lastBumped = null;
      P.toast(`#${number}: ${P.errorMessage(result, "Recall failed")}`, "error");
    }
    render();
    scheduleRefresh();
  }

  // ------------------------------------------------------------ wiring

  async function keepScreenOn() {
    try {
      if (navigator.wakeLock && document.visibilityState === "visible") await navigator.wakeLock.request("screen");
    } catch (_) { /* not allowed here; fine */ }
  }

  function init() {
    document.addEventListener("keydown", onKeyDown);
    $("#recall-last").addEventListener("click", () => { if (lastBumped) doRecall(lastBumped.orderId); });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") { scheduleRefresh(); keepScreenOn(); }
    });
    setInterval(tick, 1000);
    setInterval(fetchTickets, SAFETY_REFRESH_MS);
    fetchTickets();
    keepScreenOn();

    const stream = new P.LiveStream("/api/kitchen/events", {
      events: { ticket: scheduleRefresh },
      onOpen: scheduleRefresh,
      onTrouble: scheduleRefresh, // also finds out about an expired login (401 → login page)
      onState: (state) => P.showConnection($("#conn"), state),
    });
    stream.start();
  }

  init();
})();
