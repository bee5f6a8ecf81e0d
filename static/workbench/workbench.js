// Side-by-side reading: turn a text selection into code point offsets, tag it, show a
// claim's links across columns, and keep scroll positions and ticks across htmx swaps.
(function () {
  "use strict";

  // Code points in a JS (UTF-16) string: an emoji counts once, as in Python.
  function codePoints(str) {
    let n = 0;
    for (const _ of str) n++;
    return n;
  }

  // The segment (<span data-start>) holding a DOM point, and the code point offset there.
  function pointToOffset(node, offset) {
    if (node.nodeType !== Node.TEXT_NODE) {
      // Element point: the boundary before child[offset]; find the next text position.
      const child = node.childNodes[offset];
      if (child) {
        const seg = child.nodeType === Node.ELEMENT_NODE ? child.closest("[data-start]") || child.querySelector("[data-start]") : null;
        if (seg) return { text: seg.closest(".source-text"), offset: Number(seg.dataset.start) };
      }
      const last = node.nodeType === Node.ELEMENT_NODE ? (offset > 0 ? node.childNodes[offset - 1] : null) : null;
      if (last && last.nodeType === Node.ELEMENT_NODE && last.dataset && last.dataset.start !== undefined) {
        return { text: last.closest(".source-text"), offset: Number(last.dataset.start) + codePoints(last.textContent) };
      }
      return null;
    }
    const seg = node.parentElement && node.parentElement.closest("[data-start]");
    if (!seg) return null;
    return { text: seg.closest(".source-text"), offset: Number(seg.dataset.start) + codePoints(node.data.slice(0, offset)) };
  }

  function currentSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const a = pointToOffset(range.startContainer, range.startOffset);
    const b = pointToOffset(range.endContainer, range.endOffset);
    if (!a || !b || !a.text || a.text !== b.text) return { error: "Select text inside one column." };
    const exact = sel.toString();
    if (!exact.trim()) return null;
    return { source: a.text.dataset.source, title: a.text.dataset.title, start: a.offset, end: b.offset, exact: exact };
  }

  function openTagForm(s) {
    const form = document.getElementById("claim-form");
    if (!form) return;
    const hint = document.getElementById("selection-hint");
    if (s.error) { hint.textContent = s.error; return; }
    form.querySelector("#claim-source").value = s.source;
    form.querySelector("[name=start]").value = s.start;
    form.querySelector("[name=end]").value = s.end;
    form.querySelector("[name=exact]").value = s.exact;
    document.getElementById("claim-quote").textContent = s.exact.length > 160 ? s.exact.slice(0, 157) + "…" : s.exact;
    document.getElementById("claim-where").textContent = "in " + s.title + ", " + s.start + "–" + s.end;
    form.hidden = false;
    form.querySelector("[name=kind]").focus();
  }

  function closeTagForm() {
    const form = document.getElementById("claim-form");
    if (form) { form.reset(); form.hidden = true; }
  }

  function selectClaimSegments(id, linked) {
    document.querySelectorAll(".seg.selected, .seg.linked").forEach(function (el) { el.classList.remove("selected", "linked"); });
    const has = function (el, cid) { return (" " + el.dataset.claims + " ").indexOf(" " + cid + " ") !== -1; };
    document.querySelectorAll(".seg[data-claims]").forEach(function (el) {
      if (has(el, id)) el.classList.add("selected");
      linked.forEach(function (cid) { if (has(el, cid)) el.classList.add("linked"); });
    });
    // Bring each column's first linked span into view, inside that column only.
    document.querySelectorAll(".source-text").forEach(function (col) {
      const first = col.querySelector(".seg.linked") || col.querySelector(".seg.selected");
      if (first) col.scrollTop = first.offsetTop - col.offsetTop - col.clientHeight / 3;
    });
  }

  function updateFlagCount() {
    const count = document.getElementById("flag-count");
    if (count) count.textContent = document.querySelectorAll('input[form="flag-form"]:checked').length;
  }

  document.addEventListener("mouseup", function (ev) {
    if (!ev.target.closest || !ev.target.closest(".source-text")) return;
    const s = currentSelection();
    if (s) openTagForm(s);
  });

  document.addEventListener("click", function (ev) {
    const seg = ev.target.closest && ev.target.closest(".seg[data-claims]");
    if (seg && seg.closest(".source-text") && window.getSelection().isCollapsed) {
      // The innermost claim is listed first; the panel lists the others covering it.
      const id = seg.dataset.claims.split(" ")[0];
      htmx.ajax("GET", "/claims/" + id + "/", { target: "#claim-panel", swap: "innerHTML" });
    }
    const tick = ev.target.closest && ev.target.closest(".tick-claim");
    if (tick) {
      let box = document.getElementById("tick-" + tick.dataset.claim);
      if (!box) {
        // A long column lists only its first claims: tick this one through a hidden box.
        box = document.createElement("input");
        Object.assign(box, { type: "checkbox", name: "claims", value: tick.dataset.claim, id: "tick-" + tick.dataset.claim, hidden: true });
        box.setAttribute("form", "flag-form");
        document.getElementById("flag-form").appendChild(box);
      }
      box.checked = true; updateFlagCount();
    }
    if (ev.target.id === "claim-cancel") closeTagForm();
  });

  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches('input[form="flag-form"]')) updateFlagCount();
  });

  document.addEventListener("keydown", function (ev) {
    const typing = ev.target.closest && ev.target.closest("input, textarea, select");
    if (ev.key === "Escape") { closeTagForm(); return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "t") {
      const s = currentSelection();
      if (s) { ev.preventDefault(); openTagForm(s); }
    }
  });

  // A change to claims refreshes the columns it touches (all of them when it names no
  // source). Done here, not in an hx-trigger filter: htmx evaluates those with Function(),
  // which the Content-Security-Policy forbids (htmx.config.allowEval is off).
  document.addEventListener("claims-changed", function (ev) {
    const source = ev.detail && ev.detail.source;
    document.querySelectorAll(".column-body[data-source]").forEach(function (body) {
      if (!source || body.dataset.source === String(source)) htmx.trigger(body, "refresh-column");
    });
  });

  document.addEventListener("claim-selected", function (ev) {
    selectClaimSegments(String(ev.detail.id), (ev.detail.linked || []).map(String));
  });

  // Swapping a column re-renders it: keep its scroll position and the ticked claims.
  let saved = null;
  document.addEventListener("htmx:beforeSwap", function (ev) {
    if (!ev.detail.target.classList.contains("column-body")) return;
    const text = ev.detail.target.querySelector(".source-text");
    saved = {
      id: ev.detail.target.id,
      scroll: text ? text.scrollTop : 0,
      ticked: Array.from(ev.detail.target.querySelectorAll('input[form="flag-form"]:checked')).map(function (b) { return b.value; }),
    };
  });
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (!saved) return;
    const body = document.getElementById(saved.id);
    if (body) {
      const text = body.querySelector(".source-text");
      if (text) text.scrollTop = saved.scroll;
      saved.ticked.forEach(function (v) { const b = body.querySelector('input[value="' + v + '"][form="flag-form"]'); if (b) b.checked = true; });
    }
    saved = null;
    updateFlagCount();
  });

  document.addEventListener("htmx:afterRequest", function (ev) {
    const form = ev.detail.elt;
    if (!ev.detail.successful || !form || !form.id) return;
    const ok = ev.detail.xhr.getResponseHeader("HX-Trigger");
    if (!ok) return;  // a refusal: keep what the reviewer typed
    if (form.id === "claim-form") { closeTagForm(); window.getSelection().removeAllRanges(); }
    if (form.id === "flag-form") {
      form.reset();
      document.querySelectorAll('input[form="flag-form"]:checked').forEach(function (b) { b.checked = false; });
      updateFlagCount();
    }
  });
})();

// Review queue: j/k to move, c to confirm, d to dismiss, ? for help.
(function () {
  "use strict";
  if (!document.body.classList.contains("review-page")) return;
  function items() { return Array.from(document.querySelectorAll(".review-item")); }
  function focusAt(i) {
    const list = items();
    if (!list.length) return;
    const item = list[Math.max(0, Math.min(list.length - 1, i))];
    list.forEach(function (el) { el.classList.remove("focused"); });
    item.classList.add("focused");
    const details = item.closest("details");
    if (details) details.open = true;
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }
  function current() { return items().indexOf(document.activeElement.closest ? document.activeElement.closest(".review-item") : null); }
  document.addEventListener("keydown", function (ev) {
    if (ev.target.closest && ev.target.closest("input, textarea, select") || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const i = current();
    if (ev.key === "j") { ev.preventDefault(); focusAt(i + 1); }
    else if (ev.key === "k") { ev.preventDefault(); focusAt(i < 0 ? 0 : i - 1); }
    else if (ev.key === "c" || ev.key === "d") {
      const item = items()[i];
      if (!item) return;
      const button = item.querySelector(ev.key === "c" ? "button.confirm" : "button.dismiss");
      if (button) { ev.preventDefault(); button.click(); }
    } else if (ev.key === "?") {
      const help = document.getElementById("review-help");
      help.hidden = !help.hidden;
    }
  });
  // After an item is swapped, keep the place in the list and move on to the next one.
  document.addEventListener("htmx:afterSwap", function (ev) {
    const item = ev.detail.target.id ? document.getElementById(ev.detail.target.id) : null;
    const list = items();
    const at = item ? list.indexOf(item) : -1;
    if (at >= 0) focusAt(at + 1);
  });
})();

// Confirm before a destructive submit: <form data-confirm="Delete this claim?"> (no inline
// onsubmit: the Content-Security-Policy allows no inline script).
document.addEventListener("submit", function (ev) {
  const form = ev.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) ev.preventDefault();
});

// Every refusal reaches the person who caused it. htmx swaps no 4xx/5xx answer by default:
// a refusal the server addressed to the page's message area (HX-Retarget, views._htmx_error)
// is swapped there all the same; any other failure (a 403 page, a 404, a 413 from the size
// limit, a 500, no answer at all) is put into the message area in words. Either way the
// request counts as failed, so a form keeps what was typed.
(function () {
  "use strict";

  function show(text) {
    // Every page has one message area (the side-by-side page's is in its sidebar).
    const area = document.getElementById("messages");
    if (!area) { window.alert(text); return; }
    const p = document.createElement("p");
    p.className = "msg msg-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    area.replaceChildren(p);
  }

  // The message an error answer carries: a plain-text body, or the alert of an HTML page.
  function messageOf(xhr) {
    const type = (xhr.getResponseHeader("Content-Type") || "").split(";")[0].trim();
    const body = typeof xhr.responseText === "string" ? xhr.responseText : "";
    let text = "";
    if (type === "text/plain") {
      text = body;
    } else if (type === "text/html" && body) {
      const doc = new DOMParser().parseFromString(body, "text/html");
      const alert = doc.querySelector("[role=alert], .msg-error");
      if (alert) text = alert.textContent;
    }
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 600 ? text.slice(0, 597) + "…" : text;
  }

  function isRead(ev) {
    const verb = ev.detail.requestConfig && ev.detail.requestConfig.verb;
    return !verb || verb.toLowerCase() === "get";
  }

  document.addEventListener("htmx:beforeSwap", function (ev) {
    const xhr = ev.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("HX-Retarget")) ev.detail.shouldSwap = true;
  });

  document.addEventListener("htmx:responseError", function (ev) {
    const xhr = ev.detail.xhr;
    if (xhr.getResponseHeader("HX-Retarget")) return;  // already swapped into the message area
    const said = messageOf(xhr);
    const generic = isRead(ev)
      ? "The server could not show this (status " + xhr.status + "). Try again."
      : "The server could not save this (status " + xhr.status + "); nothing was saved. Try again.";
    show(said ? said + (isRead(ev) ? "" : " Nothing was saved.") : generic);
  });

  document.addEventListener("htmx:sendError", function (ev) {
    show(isRead(ev)
      ? "The server could not be reached. Check the connection and try again."
      : "The server could not be reached; nothing was saved. Check the connection and try again.");
  });
})();

// Narrow screens (issue 12): the side-by-side page's tool panel folds away to a strip, so the
// columns get the width; folded by default below 1200 px, the reviewer's choice remembered.
// It opens by itself when it has something to show (a claim's details, the tag form, a message).
(function sidePanel() {
  "use strict";
  const compare = document.querySelector(".compare");
  const toggle = document.getElementById("panel-toggle");
  const sidebar = document.getElementById("compare-sidebar");
  if (!compare || !toggle || !sidebar) return;
  const KEY = "workbench.panelFolded";

  function fold(folded, remember) {
    compare.classList.toggle("panel-folded", folded);
    toggle.setAttribute("aria-expanded", String(!folded));
    toggle.textContent = folded ? "« Show panel" : "Hide panel »";
    if (remember) {
      try { localStorage.setItem(KEY, folded ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
    }
  }

  let stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { stored = null; }
  fold(stored === null ? window.innerWidth < 1200 : stored === "1", false);

  toggle.addEventListener("click", function () {
    fold(!compare.classList.contains("panel-folded"), true);
  });
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (sidebar.contains(ev.detail.target) && ev.detail.target.textContent.trim()) fold(false, false);
  });
  const form = document.getElementById("claim-form");
  if (form) {
    new MutationObserver(function () { if (!form.hidden) fold(false, false); })
      .observe(form, { attributes: true, attributeFilter: ["hidden"] });
  }
})();
