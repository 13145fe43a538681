/* Pizzeria: menu, cart (kept in localStorage) and checkout on the home page. */
"use strict";

(() => {
  const P = window.Pizzeria;
  const { el, $ } = P;

  const CART_KEY = "pizzeria.cart.v1";
  const ORDERS_KEY = "pizzeria.orders.v1";
  // The same limits the server applies (Domain/OrderValidation.swift, OrderLimits).
  const LIMITS = { lines: 20, perLine: 20, pizzas: 50, name: 100, email: 254, phone: 32, address: 300, notes: 500 };
  const SIZES = ["small", "medium", "large"];
  const SIZE_LABELS = { small: "Small", medium: "Medium", large: "Large" };
  const FIELD_IDS = {
    "customer.name": "name",
    "customer.email": "email",
    "customer.phone": "phone",
    "customer.address": "address",
    notes: "notes",
  };

  /** id → pizza from /api/menu; null until it has loaded. */
  let menu = null;
  let cart = loadCart();
  /** {key, body}: one Idempotency-Key per distinct checkout request. */
  let attempt = null;
  let submitting = false;
  let showFieldErrorsLive = false;

  // ------------------------------------------------------------ cart model

  function loadCart() {
    const raw = P.readStorage(CART_KEY, []);
    if (!Array.isArray(raw)) return [];
    const lines = [];
    for (const line of raw) {
      if (!line || typeof line.pizzaId !== "string" || !SIZES.includes(line.size)) continue;
      const quantity = Math.floor(Number(line.quantity));
      if (!(quantity >= 1)) continue;
      lines.push({ pizzaId: line.pizzaId, size: line.size, quantity: Math.min(quantity, LIMITS.perLine) });
    }
    return lines.slice(0, LIMITS.lines);
  }

  function saveCart() {
    P.writeStorage(CART_KEY, cart);
  }

  const pizzaCount = (lines = cart) => lines.reduce((sum, line) => sum + line.quantity, 0);

  function unitPrice(pizzaId, size) {
    const pizza = menu && menu.get(pizzaId);
    const entry = pizza && pizza.sizes.find((s) => s.size === size);
    return entry ? entry.priceCents : null;
  }

  function pizzaName(pizzaId) {
    const pizza = menu && menu.get(pizzaId);
    return pizza ? pizza.name : pizzaId;
  }

  /** Adds quantity pizzas; returns an error message when a limit would be broken. */
  function addToCart(pizzaId, size, quantity) {
    const existing = cart.find((line) => line.pizzaId === pizzaId && line.size === size);
    if (!existing && cart.length >= LIMITS.lines) {
      return `An order can have at most ${LIMITS.lines} different lines.`;
    }
    if ((existing ? existing.quantity : 0) + quantity > LIMITS.perLine) {
      return `At most ${LIMITS.perLine} of the same pizza and size per order.`;
    }
    if (pizzaCount() + quantity > LIMITS.pizzas) {
      return `An order can have at most ${LIMITS.pizzas} pizzas.`;
    }
    if (existing) existing.quantity += quantity;
    else cart.push({ pizzaId, size, quantity });
    saveCart();
    return null;
  }

  function setQuantity(index, quantity) {
    const line = cart[index];
    if (!line) return;
    const others = pizzaCount() - line.quantity;
    const clamped = Math.max(1, Math.min(LIMITS.perLine, LIMITS.pizzas - others, Math.floor(quantity) || 1));
    line.quantity = clamped;
    saveCart();
  }

  function removeLine(index) {
    cart.splice(index, 1);
    saveCart();
  }

  /** Drops lines the menu no longer has; returns how many were dropped. */
  function pruneCart() {
    const before = cart.length;
    cart = cart.filter((line) => unitPrice(line.pizzaId, line.size) != null);
    if (cart.length !== before) saveCart();
    return before - cart.length;
  }

  // ------------------------------------------------------------ menu

  async function loadMenu() {
    const result = await P.api("/api/menu");
    const pizzas = result.ok && result.data && Array.isArray(result.data.pizzas) ? result.data.pizzas : null;
    if (!pizzas) {
      const status = $("#menu-status");
      status.hidden = false;
      status.textContent = "We could not load the live menu, so ordering is paused. Please reload the page in a moment.";
      $("#checkout-button").disabled = true;
      renderCart();
      return;
    }
    menu = new Map();
    for (const pizza of pizzas) {
      if (!pizza || typeof pizza.id !== "string" || !Array.isArray(pizza.sizes)) continue;
      const sizes = pizza.sizes
        .filter((s) => s && SIZES.includes(s.size) && Number.isFinite(s.priceCents))
        .sort((a, b) => SIZES.indexOf(a.size) - SIZES.indexOf(b.size));
      if (sizes.length) menu.set(pizza.id, { ...pizza, name: String(pizza.name || pizza.id), sizes });
    }
    renderMenu();
    if (pruneCart() > 0) {
      showCartError("Some pizzas in your cart are no longer on the menu and were removed.");
    }
    renderCart();
  }

  function imageSource(pizza) {
    const url = typeof pizza.imageUrl === "string" ? pizza.imageUrl : "";
    // Only same-site paths; anything else falls back to the bundled picture.
    return /^\/(?!\/)[A-Za-z0-9._~\/-]*$/.test(url) ? url : `/images/${encodeURIComponent(pizza.id)}.svg`;
  }

  function renderMenu() {
    const list = el("ul", { class: "menu menu-interactive" });
    for (const pizza of menu.values()) list.appendChild(pizzaCard(pizza));
    // Replaces the server-rendered (no-JavaScript) list, which uses the same element ids.
    $("#menu-list").replaceChildren(list);
  }

  function pizzaCard(pizza) {
    const id = pizza.id;
    const defaultSize = pizza.sizes.some((s) => s.size === "medium") ? "medium" : pizza.sizes[0].size;
    const sizeSelect = el("select", { id: `size-${id}`, name: "size" },
      pizza.sizes.map((s) => el("option", { value: s.size, selected: s.size === defaultSize },
        `${SIZE_LABELS[s.size]} · ${P.formatMoney(s.priceCents)}`)));
    const quantityInput = el("input", {
      id: `qty-${id}`, name: "quantity", type: "number", min: 1, max: LIMITS.perLine, value: "1",
      inputmode: "numeric", class: "qty-input",
    });
    const price = el("span", { class: "pizza-price", "aria-hidden": "true" });
    const feedback = el("p", { class: "add-feedback", role: "status" });
    const button = el("button", {
      class: "btn btn-primary", type: "submit", dataset: { testid: `add-${id}` },
    }, "Add to cart");

    const updatePrice = () => {
      const quantity = Math.max(1, Math.floor(Number(quantityInput.value)) || 1);
      price.textContent = P.formatMoney((unitPrice(id, sizeSelect.value) || 0) * quantity);
    };
    sizeSelect.addEventListener("change", updatePrice);
    quantityInput.addEventListener("input", updatePrice);
    updatePrice();

    const form = el("form", { class: "add-form", "aria-label": `Add ${pizza.name} to cart` },
      el("div", { class: "add-field" }, el("label", { for: `size-${id}` }, "Size"), sizeSelect),
      el("div", { class: "add-field add-field-qty" }, el("label", { for: `qty-${id}` }, "Qty"), quantityInput),
      el("div", { class: "add-action" }, price, button),
      feedback);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const quantity = Math.floor(Number(quantityInput.value));
      if (!(quantity >= 1 && quantity <= LIMITS.perLine)) {
        feedback.dataset.kind = "error";
        feedback.textContent = `Choose a quantity from 1 to ${LIMITS.perLine}.`;
        quantityInput.focus();
        return;
      }
      const size = sizeSelect.value;
      const problem = addToCart(id, size, quantity);
      if (problem) {
        feedback.dataset.kind = "error";
        feedback.textContent = problem;
        return;
      }
      feedback.dataset.kind = "ok";
      feedback.textContent = `Added ${quantity} × ${pizza.name} (${SIZE_LABELS[size].toLowerCase()}).`;
      clearTimeout(feedback.timer);
      feedback.timer = setTimeout(() => { feedback.textContent = ""; }, 4000);
      quantityInput.value = "1";
      updatePrice();
      hideCartError();
      renderCart();
      bumpBadge();
    });

    return el("li", { class: "pizza", id: `pizza-${id}` },
      el("img", { src: imageSource(pizza), alt: pizza.name, width: 120, height: 120, loading: "lazy" }),
      el("div", { class: "pizza-body" },
        el("h3", null, pizza.name),
        el("p", { class: "pizza-description" }, String(pizza.description || "")),
        form));
  }

  function bumpBadge() {
    const badge = $("#cart-count");
    badge.classList.remove("pop");
    void badge.offsetWidth; // restart the animation
    badge.classList.add("pop");
  }

  // ------------------------------------------------------------ cart view

  function renderCart() {
    $("#cart-count").textContent = String(pizzaCount());
    $("#cart-empty").hidden = cart.length > 0;
    const prices = cart.map((line) => unitPrice(line.pizzaId, line.size));
    const known = prices.every((p) => p != null);
    P.keepFocus(() => {
      $("#cart-lines").replaceChildren(...cart.map((line, index) => cartLine(line, index, prices[index])));
    });
    const total = $("#cart-total");
    total.hidden = cart.length === 0 || !known;
    $("#cart-total-amount").textContent = P.formatMoney(
      cart.reduce((sum, line, i) => sum + (prices[i] || 0) * line.quantity, 0));
  }

  function cartLine(line, index, price) {
    const name = pizzaName(line.pizzaId);
    const what = `${name}, ${SIZE_LABELS[line.size].toLowerCase()}`;
    const key = `${line.pizzaId}-${line.size}`;
    const input = el("input", {
      id: `cart-qty-${key}`, type: "number", min: 1, max: LIMITS.perLine, value: String(line.quantity),
      inputmode: "numeric", class: "qty-input", dataset: { focusKey: `qty-${key}` },
    });
    input.addEventListener("change", () => { setQuantity(index, Number(input.value)); renderCart(); });
    const minus = el("button", {
      type: "button", class: "btn btn-icon", "aria-label": `One less ${what}`,
      dataset: { focusKey: `minus-${key}` }, disabled: line.quantity <= 1,
    }, "−");
    minus.addEventListener("click", () => { setQuantity(index, line.quantity - 1); renderCart(); });
    const plus = el("button", {
      type: "button", class: "btn btn-icon", "aria-label": `One more ${what}`,
      dataset: { focusKey: `plus-${key}` },
      disabled: line.quantity >= LIMITS.perLine || pizzaCount() >= LIMITS.pizzas,
    }, "+");
    plus.addEventListener("click", () => { setQuantity(index, line.quantity + 1); renderCart(); });
    const remove = el("button", {
      type: "button", class: "btn btn-link", "aria-label": `Remove ${what}`, dataset: { testid: `remove-${key}` },
    }, "Remove");
    remove.addEventListener("click", () => {
      removeLine(index);
      renderCart();
      P.announce(`Removed ${what}.`);
      const next = document.querySelector("#cart-lines .qty-input") || $("#cart");
      next.focus();
    });

    return el("li", { class: "cart-line", dataset: { testid: `cart-line-${key}`, index: String(index) } },
      el("div", { class: "cart-line-name" },
        el("strong", null, name), " ",
        el("span", { class: "muted" }, SIZE_LABELS[line.size]),
        price != null ? el("span", { class: "muted unit-price" }, ` · ${P.formatMoney(price)} each`) : null),
      el("div", { class: "stepper" },
        minus,
        el("label", { class: "sr-only", for: `cart-qty-${key}` }, `Quantity of ${what}`),
        input,
        plus),
      el("span", { class: "line-total" }, price != null ? P.formatMoney(price * line.quantity) : ""),
      remove);
  }

  function showCartError(message, lineIndex) {
    const box = $("#cart-error");
    box.textContent = message;
    box.hidden = false;
    for (const li of document.querySelectorAll("#cart-lines .cart-line")) {
      li.classList.toggle("invalid", lineIndex != null && li.dataset.index === String(lineIndex));
    }
  }

  function hideCartError() {
    $("#cart-error").hidden = true;
    $("#cart-error").textContent = "";
  }

  // ------------------------------------------------------------ validation (mirrors the server)

  const length = (text) => Array.from(text).length;
  const hasControlCharacters = (text) => /[\u0000-\u001f\u007f-\u009f]/.test(text);

  function isValidEmail(address) {
    const parts = address.split("@");
    if (parts.length !== 2) return false;
    const [local, domain] = parts;
    if (!local || length(local) > 64 || length(domain) < 3) return false;
    if (/[\s<>,;]/u.test(address)) return false;
    const labels = domain.split(".");
    if (labels.length < 2 || !labels.every((l) => l && !l.startsWith("-") && !l.endsWith("-"))) return false;
    return /^[\p{L}\p{N}.-]+$/u.test(domain);
  }

  function isValidPhone(phone) {
    if (!/^[0-9 +\-.()]+$/.test(phone)) return false;
    const digits = phone.replace(/[^0-9]/g, "").length;
    return digits >= 5 && digits <= 20;
  }

  function singleLine(value, max, emptyMessage, label) {
    if (!value) return emptyMessage;
    if (length(value) > max) return `${label} must be at most ${max} characters.`;
    if (hasControlCharacters(value)) return `${label} must be a single line of text.`;
    return "";
  }

  const VALIDATORS = {
    name: (v) => singleLine(v, LIMITS.name, "Please enter your name.", "Name"),
    email: (v) => singleLine(v, LIMITS.email, "Please enter your email address.", "Email") ||
      (isValidEmail(v) ? "" : "Enter an email address like name@example.com."),
    phone: (v) => singleLine(v, LIMITS.phone, "Please enter a phone number.", "Phone") ||
      (isValidPhone(v) ? "" : "A phone number needs 5 to 20 digits; spaces, +, -, . and ( ) are allowed."),
    address: (v) => singleLine(v, LIMITS.address, "Please enter the delivery address.", "Address"),
    notes: (v) => (length(v) > LIMITS.notes ? `Notes must be at most ${LIMITS.notes} characters.` : ""),
  };

  function cartProblem() {
    if (cart.length === 0) return "Your cart is empty. Add a pizza first.";
    if (cart.length > LIMITS.lines) return `An order can have at most ${LIMITS.lines} different lines.`;
    if (cart.some((l) => l.quantity < 1 || l.quantity > LIMITS.perLine)) {
      return `Each line needs a quantity from 1 to ${LIMITS.perLine}.`;
    }
    if (pizzaCount() > LIMITS.pizzas) return `An order can have at most ${LIMITS.pizzas} pizzas.`;
    return "";
  }

  const fieldValue = (id) => $(`#${id}`).value.trim();

  function setFieldError(id, message) {
    const input = $(`#${id}`);
    const box = $(`#${id}-error`);
    box.textContent = message || "";
    box.hidden = !message;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function validateField(id) {
    const message = VALIDATORS[id](fieldValue(id));
    setFieldError(id, message);
    return message;
  }

  function showFormError(message) {
    const box = $("#form-error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  // ------------------------------------------------------------ checkout

  async function submitOrder(event) {
    event.preventDefault();
    if (submitting) return;
    showFieldErrorsLive = true;
    showFormError("");
    hideCartError();

    const invalid = Object.keys(VALIDATORS).filter((id) => validateField(id));
    const problem = cartProblem();
    if (problem) showCartError(problem);
    if (invalid.length) {
      $(`#${invalid[0]}`).focus();
      return;
    }
    if (problem) {
      $("#cart").focus();
      return;
    }

    const payload = {
      customer: {
        name: fieldValue("name"),
        email: fieldValue("email"),
        phone: fieldValue("phone"),
        address: fieldValue("address"),
      },
      items: cart.map(({ pizzaId, size, quantity }) => ({ pizzaId, size, quantity })),
    };
    const notes = fieldValue("notes");
    if (notes) payload.notes = notes;
    const body = JSON.stringify(payload);
    // Same request again (double click, retry after a network error) → same key → one order.
    if (!attempt || attempt.body !== body) attempt = { key: P.uuid(), body };

    setSubmitting(true);
    const result = await P.api("/api/orders", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "Idempotency-Key": attempt.key },
    });

    if (result.ok && result.data) {
      const url = trackingUrl(result.data);
      if (url) {
        rememberOrder(result.data, url);
        cart = [];
        saveCart();
        renderCart();
        $("#checkout-button").textContent = "Order placed! Opening tracking…";
        location.href = url;
        return;
      }
    }
    setSubmitting(false);
    showServerError(result);
  }

  function trackingUrl(data) {
    if (typeof data.trackingUrl === "string" && data.trackingUrl) return data.trackingUrl;
    if (data.id && data.trackingToken) {
      return `/track/${encodeURIComponent(data.id)}#token=${encodeURIComponent(data.trackingToken)}`;
    }
    return null;
  }

  function setSubmitting(on) {
    submitting = on;
    const button = $("#checkout-button");
    button.disabled = on;
    button.textContent = on ? "Placing order…" : "Place order";
    $("#checkout-form").setAttribute("aria-busy", on ? "true" : "false");
  }

  function showServerError(result) {
    if (result.networkError) {
      showFormError("We could not reach the pizzeria. Check your connection and press “Place order” again; you will not be charged twice.");
      return;
    }
    const error = result.data && typeof result.data === "object" ? result.data : {};
    const message = typeof error.message === "string" && error.message
      ? error.message
      : result.status >= 500
        ? `The pizzeria could not take your order just now (error ${result.status}). Please try again.`
        : `Your order was not accepted (error ${result.status}).`;
    const field = typeof error.field === "string" ? error.field : "";
    if (FIELD_IDS[field]) {
      setFieldError(FIELD_IDS[field], message);
      $(`#${FIELD_IDS[field]}`).focus();
    } else if (field === "items" || field.startsWith("items[") || field.startsWith("items.") ||
               ["empty_cart", "too_many_items", "unknown_pizza"].includes(error.code)) {
      const match = /^items\[(\d+)\]/.exec(field);
      showCartError(message, match ? Number(match[1]) : undefined);
      $("#cart").focus();
    } else {
      showFormError(message);
      $("#form-error").scrollIntoView({ block: "nearest" });
    }
  }

  // ------------------------------------------------------------ recent orders

  function safeLink(url) {
    try {
      const parsed = new URL(url, location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  function rememberOrder(data, url) {
    const orders = P.readStorage(ORDERS_KEY, []);
    const list = Array.isArray(orders) ? orders.filter((o) => o && o.id !== data.id) : [];
    list.unshift({ id: String(data.id || ""), url, placedAt: new Date().toISOString(), totalCents: data.totalCents });
    P.writeStorage(ORDERS_KEY, list.slice(0, 5));
  }

  function renderRecent() {
    const orders = P.readStorage(ORDERS_KEY, []);
    const valid = Array.isArray(orders) ? orders.filter((o) => o && typeof o.id === "string" && safeLink(o.url)) : [];
    $("#recent").hidden = valid.length === 0;
    $("#recent-list").replaceChildren(...valid.map((order) =>
      el("li", null,
        el("a", { href: safeLink(order.url) }, `Track order ${P.orderNumber(order.id)}`),
        el("span", { class: "muted" },
          ` · ${P.formatDateTime(order.placedAt)}`,
          Number.isFinite(order.totalCents) ? ` · ${P.formatMoney(order.totalCents)}` : ""))));
  }

  // ------------------------------------------------------------ wiring

  function init() {
    renderCart();
    renderRecent();
    const form = $("#checkout-form");
    form.addEventListener("submit", submitOrder);
    for (const id of Object.keys(VALIDATORS)) {
      const input = $(`#${id}`);
      input.addEventListener("input", () => {
        if (showFieldErrorsLive && input.hasAttribute("aria-invalid")) validateField(id);
      });
      input.addEventListener("blur", () => {
        if (showFieldErrorsLive) validateField(id);
      });
    }
    const notes = $("#notes");
    const counter = $("#notes-count");
    const count = () => {
      counter.textContent = `${length(notes.value)} / ${LIMITS.notes}`;
      counter.classList.toggle("over", length(notes.value.trim()) > LIMITS.notes);
    };
    notes.addEventListener("input", count);
    count();
    window.addEventListener("storage", (event) => {
      if (event.key === CART_KEY) {
        cart = loadCart();
        renderCart();
      } else if (event.key === ORDERS_KEY) {
        renderRecent();
      }
    });
    loadMenu();
  }

  init();
})();
