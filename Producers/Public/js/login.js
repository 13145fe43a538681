/* Pizzeria: staff sign-in page. Copies ?next= into the form (same-site paths only). */
"use strict";

(() => {
  const params = new URLSearchParams(location.search);
  const next = params.get("next") || "";
  // Only a path on this site: "/kitchen", never "//evil.example" or "https://…" (no open redirect).
  const safe = /^\/(?![\/\\])[^\s]*$/.test(next) ? next : "";
  document.getElementById("next").value = safe; // empty: the server picks its default page
  if (params.has("error")) document.getElementById("login-error").hidden = false;
})();
