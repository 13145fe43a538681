/* Pizzeria: operator console for dead letters (/console). */
"use strict";

(() => {
  const P = window.Pizzeria;
  const { el, $ } = P;

  let messages = [];
  let groups = [];
  const selected = new Set();
  const knownQueues = new Set();
  const knownReasons = new Set();
  let detailId = null;
  let detailOpener = null;
  let lastClickedIndex = null;
  let requestNumber = 0;
  let busy = false;

  // ------------------------------------------------------------ loading

  function filters() {
    return { queue: $("#queue").value, reason: $("#reason").value };
  }

  async function load() {
    const mine = ++requestNumber;
    const { queue, reason } = filters();
    const query = `queue=${encodeURIComponent(queue)}&reason=${encodeURIComponent(reason)}`;
    const result = await P.api(`/api/dead-letters?${query}`, { staff: true });
    if (mine !== requestNumber) return;
    const box = $("#load-error");
    if (!result.ok || !result.data) {
      if (result.status === 401) return;
      box.textContent = P.errorMessage(result, "Could not load the dead letters");
      box.hidden = false;
      return;
    }
    box.hidden = true;
    messages = (Array.isArray(result.data.messages) ? result.data.messages : [])
      .filter((m) => m && m.id != null)
      .map((m) => ({ ...m, id: String(m.id) }));
    groups = Array.isArray(result.data.groups) ? result.data.groups.filter(Boolean) : [];
    const ids = new Set(messages.map((m) => m.id));
    for (const id of [...selected]) if (!ids.has(id)) selected.delete(id);
    for (const item of [...messages, ...groups]) {
      if (item.queue) knownQueues.add(String(item.queue));
      if (item.reason) knownReasons.add(String(item.reason));
    }
    syncUrl();
    render();
    $("#updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  function syncUrl() {
    const params = new URLSearchParams();
    const { queue, reason } = filters();
    if (queue) params.set("queue", queue);
    if (reason) params.set("reason", reason);
    const search = params.toString();
    history.replaceState(null, "", location.pathname + (search ? `?${search}` : ""));
  }

  // ------------------------------------------------------------ rendering

  function render() {
    fillSelect($("#queue"), knownQueues, "All queues");
    fillSelect($("#reason"), knownReasons, "All reasons");
    renderGroups();
    renderMessages();
    renderSelection();
  }

  function fillSelect(select, values, allLabel) {
    const current = select.value;
    const sorted = [...values].sort((a, b) => a.localeCompare(b));
    if (current && !values.has(current)) sorted.unshift(current);
    select.replaceChildren(el("option", { value: "" }, allLabel),
      ...sorted.map((v) => el("option", { value: v, selected: v === current }, v)));
    select.value = current;
  }

  function groupMessages(group) {
    return messages.filter((m) => m.reason === group.reason && (group.queue == null || group.queue === "" || m.queue === group.queue));
  }

  function groupKey(group) {
    const sameReason = groups.filter((g) => g.reason === group.reason).length;
    return sameReason > 1 ? `${group.reason}-${group.queue}` : String(group.reason);
  }

  function renderGroups() {
    $("#groups-empty").hidden = groups.length > 0;
    $("#groups-table").hidden = groups.length === 0;
    $("#groups-body").replaceChildren(...groups.map((group) => {
      const key = groupKey(group);
      const loaded = groupMessages(group);
      const ids = loaded.map((m) => m.id);
      const count = Number(group.count) || 0;
      const label = `reason “${group.reason}”${group.queue ? ` on ${group.queue}` : ""}`;
      const selectButton = el("button", { type: "button", class: "btn btn-link", disabled: !ids.length,
        dataset: { testid: `select-group-${key}` }, "aria-label": `Select the messages with ${label}` }, "Select");
      selectButton.addEventListener("click", () => {
        ids.forEach((id) => selected.add(id));
        renderMessages();
        renderSelection();
      });
      const replay = el("button", { type: "button", class: "btn btn-secondary", disabled: !ids.length,
        dataset: { testid: `replay-group-${key}` }, "aria-label": `Replay the messages with ${label}` }, "Replay group");
      replay.addEventListener("click", () => replayIds(ids, partialNote(ids.length, count)));
      const purge = el("button", { type: "button", class: "btn btn-danger", disabled: !ids.length,
        dataset: { testid: `purge-group-${key}` }, "aria-label": `Purge the messages with ${label}` }, "Purge group");
      purge.addEventListener("click", () => confirmPurge(ids, ` with ${label}${partialNote(ids.length, count)}`));
      return el("tr", { dataset: { testid: `group-${key}` } },
        el("th", { scope: "row" }, el("span", { class: "reason-badge" }, String(group.reason))),
        el("td", null, String(group.queue || "—")),
        el("td", { class: "num" }, String(count), ids.length !== count ? el("span", { class: "muted" }, ` (${ids.length} listed)`) : null),
        el("td", { class: "actions" }, selectButton, replay, purge));
    }));
  }

  function partialNote(listed, count) {
    return listed < count ? ` (the ${listed} listed here of ${count}; refresh for the rest)` : "";
  }

  function renderMessages() {
    $("#message-count").textContent = `(${messages.length})`;
    $("#messages-empty").hidden = messages.length > 0;
    const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
    $("#messages-body").replaceChildren(...messages.map((message, index) => messageRow(message, index)));
    if (focusKey) {
      const again = document.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
      if (again) again.focus({ preventScroll: true });
    }
  }

  function messageRow(message, index) {
    const id = message.id;
    const checkbox = el("input", {
      type: "checkbox", checked: selected.has(id), "aria-label": `Select message ${id}`,
      dataset: { focusKey: `check-${id}`, testid: `dl-check-${id}` },
    });
    checkbox.addEventListener("click", (event) => {
      const on = checkbox.checked;
      if (event.shiftKey && lastClickedIndex != null) {
        const [from, to] = [Math.min(lastClickedIndex, index), Math.max(lastClickedIndex, index)];
        for (const m of messages.slice(from, to + 1)) on ? selected.add(m.id) : selected.delete(m.id);
        renderMessages();
      } else {
        on ? selected.add(id) : selected.delete(id);
        checkbox.closest("tr").classList.toggle("is-selected", on);
      }
      lastClickedIndex = index;
      renderSelection();
    });
    const view = el("button", {
      type: "button", class: "btn btn-link mono", title: id, dataset: { focusKey: `view-${id}` },
      "aria-label": `Show message ${id}`,
    }, shortId(id));
    view.addEventListener("click", () => openDetail(id, view));
    const row = el("tr", {
      class: [selected.has(id) ? "is-selected" : "", detailId === id ? "is-active" : ""].join(" ").trim() || null,
      dataset: { testid: `dl-${id}`, id },
    },
      el("td", { class: "check" }, checkbox),
      el("td", null, view),
      el("td", null, String(message.queue || "")),
      el("td", null, el("span", { class: "reason-badge" }, String(message.reason || ""))),
      el("td", null, String(message.eventType || "")),
      el("td", { class: "mono", title: String(message.orderId || "") }, message.orderId ? shortId(String(message.orderId)) : "—"),
      el("td", { class: "num" }, String(message.attempts ?? "")),
      el("td", null, Number.isFinite(message.ageSeconds) ? P.formatAge(message.ageSeconds) : ""),
      el("td", null, message.failedAt ? el("time", { datetime: String(message.failedAt) }, P.formatDateTime(message.failedAt)) : ""));
    row.addEventListener("click", (event) => {
      if (event.target.closest("input, button, a")) return;
      openDetail(id, view);
    });
    return row;
  }

  function shortId(id) {
    return id.length > 12 ? `…${id.slice(-8)}` : id;
  }

  function renderSelection() {
    const count = selected.size;
    $("#selection-count").textContent = `${count} selected`;
    $("#replay-selected").disabled = count === 0 || busy;
    $("#purge-selected").disabled = count === 0 || busy;
    $("#clear-selection").disabled = count === 0;
    const all = $("#select-all");
    all.checked = messages.length > 0 && count === messages.length;
    all.indeterminate = count > 0 && count < messages.length;
    all.disabled = messages.length === 0;
  }

  // ------------------------------------------------------------ detail panel

  async function openDetail(id, opener) {
    detailId = id;
    detailOpener = opener || null;
    const panel = $("#detail");
    panel.hidden = false;
    $("#detail-title").textContent = `Message ${shortId(id)}`;
    $("#detail-title").title = id;
    $("#detail-status").textContent = "Loading…";
    for (const node of [$("#detail-meta"), $("#detail-headers"), $("#detail-properties"), $("#detail-body")]) node.replaceChildren();
    for (const row of document.querySelectorAll("#messages-body tr")) row.classList.toggle("is-active", row.dataset.id === id);
    panel.focus();
    panel.scrollIntoView({ block: "nearest" });

    const result = await P.api(`/api/dead-letters/${encodeURIComponent(id)}`, { staff: true });
    if (detailId !== id) return;
    if (!result.ok || !result.data) {
      $("#detail-status").textContent = result.status === 404
        ? "This message is gone (already replayed or purged)."
        : P.errorMessage(result, "Could not load the message");
      return;
    }
    const data = result.data;
    const listed = messages.find((m) => m.id === id) || {};
    $("#detail-status").textContent = "";
    fillKv($("#detail-meta"), {
      id,
      queue: data.queue ?? listed.queue,
      reason: listed.reason,
      event: listed.eventType,
      order: listed.orderId,
      attempts: listed.attempts,
      "failed at": listed.failedAt ? P.formatDateTime(listed.failedAt) : undefined,
    });
    fillKv($("#detail-headers"), data.headers);
    fillKv($("#detail-properties"), data.properties);
    $("#detail-body").textContent = pretty(data.body);
  }

  function closeDetail() {
    detailId = null;
    $("#detail").hidden = true;
    for (const row of document.querySelectorAll("#messages-body tr.is-active")) row.classList.remove("is-active");
    if (detailOpener && document.contains(detailOpener)) detailOpener.focus();
    else $("#messages").focus();
  }

  function fillKv(dl, object) {
    const entries = object && typeof object === "object" ? Object.entries(object).filter(([, v]) => v !== undefined) : [];
    if (!entries.length) {
      dl.replaceChildren(el("dt", { class: "sr-only" }, "Entries"), el("dd", { class: "muted" }, "none"));
      return;
    }
    dl.replaceChildren(...entries.flatMap(([key, value]) => [
      el("dt", null, key),
      el("dd", { class: "mono" }, value === null ? "null" : typeof value === "object" ? JSON.stringify(value) : String(value)),
    ]));
  }

  /** JSON bodies indented; anything else shown as it is. */
  function pretty(body) {
    if (body == null) return "";
    if (typeof body !== "string") return JSON.stringify(body, null, 2);
    const trimmed = body.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try { return JSON.stringify(JSON.parse(trimmed), null, 2); } catch (_) { /* not JSON after all */ }
    }
    return body;
  }

  // ------------------------------------------------------------ actions

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  async function post(kind, ids) {
    busy = true;
    renderSelection();
    const result = await P.api(`/api/dead-letters/${kind}`, { method: "POST", json: { ids }, staff: true });
    busy = false;
    if (result.ok) {
      const done = result.data && Number.isFinite(result.data[kind === "replay" ? "replayed" : "purged"])
        ? result.data[kind === "replay" ? "replayed" : "purged"] : ids.length;
      P.toast(`${kind === "replay" ? "Replayed" : "Purged"} ${plural(done, "message")}.`, "ok");
      ids.forEach((id) => selected.delete(id));
      if (detailId && ids.includes(detailId)) closeDetail();
    } else if (result.status !== 401) {
      P.toast(P.errorMessage(result, `${kind === "replay" ? "Replay" : "Purge"} failed`), "error", 8000);
    }
    await load();
    renderSelection();
  }

  function replayIds(ids) {
    if (!ids.length || busy) return;
    post("replay", ids);
  }

  function confirmPurge(ids, what = "") {
    if (!ids.length || busy) return;
    const text = `This deletes ${plural(ids.length, "message")}${what} for good; they cannot be replayed afterwards.`;
    const dialog = $("#confirm");
    if (typeof dialog.showModal !== "function") {
      if (window.confirm(text)) post("purge", ids);
      return;
    }
    $("#confirm-title").textContent = `Purge ${plural(ids.length, "message")}?`;
    $("#confirm-text").textContent = text;
    $("#confirm-ok").textContent = `Purge ${ids.length}`;
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "confirm") post("purge", ids);
    }, { once: true });
    dialog.showModal();
  }

  // ------------------------------------------------------------ wiring

  function init() {
    const params = new URLSearchParams(location.search);
    for (const name of ["queue", "reason"]) {
      const value = params.get(name);
      if (value) {
        (name === "queue" ? knownQueues : knownReasons).add(value);
        fillSelect($(`#${name}`), name === "queue" ? knownQueues : knownReasons, name === "queue" ? "All queues" : "All reasons");
        $(`#${name}`).value = value;
      }
    }
    $("#filters").addEventListener("submit", (event) => { event.preventDefault(); load(); });
    $("#queue").addEventListener("change", load);
    $("#reason").addEventListener("change", load);
    $("#select-all").addEventListener("change", () => {
      if ($("#select-all").checked) messages.forEach((m) => selected.add(m.id));
      else selected.clear();
      renderMessages();
      renderSelection();
    });
    $("#clear-selection").addEventListener("click", () => { selected.clear(); renderMessages(); renderSelection(); });
    $("#replay-selected").addEventListener("click", () => replayIds([...selected]));
    $("#purge-selected").addEventListener("click", () => confirmPurge([...selected]));
    $("#detail-close").addEventListener("click", closeDetail);
    $("#detail-replay").addEventListener("click", () => detailId && replayIds([detailId]));
    $("#detail-purge").addEventListener("click", () => detailId && confirmPurge([detailId]));
    $("#detail").addEventListener("keydown", (event) => { if (event.key === "Escape") closeDetail(); });
    load();
  }

  init();
})();
