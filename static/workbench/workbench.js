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
    // A selection made by words (double click, Ctrl+Shift+arrows) takes the spaces around
    // them too: the claim is the words, not the white space.
    const lead = /^\s*/.exec(exact)[0], trail = /\s*$/.exec(exact)[0];
    return { source: a.text.dataset.source, title: a.text.dataset.title, start: a.offset + codePoints(lead),
             end: b.offset - codePoints(trail), exact: exact.slice(lead.length, exact.length - trail.length) };
  }

  // On a new version's page: "Place here" puts an orphaned claim on the text selected in
  // the new version (the selection's offsets go into the row's form).
  document.addEventListener("click", function (ev) {
    const button = ev.target.closest && ev.target.closest("[data-use-selection]");
    if (!button) return;
    const s = currentSelection();
    const hint = document.getElementById("place-hint");
    if (!s || s.error || (button.dataset.source && s.source !== button.dataset.source)) {
      ev.preventDefault();
      if (hint) hint.textContent = (s && s.error) || (s ? "Select the claim's text in the new version (the right-hand column), not the old one."
                                                         : "First select the claim's text in the new version below.");
      return;
    }
    const form = button.form;
    form.querySelector("[name=start]").value = s.start;
    form.querySelector("[name=end]").value = s.end;
    form.querySelector("[name=exact]").value = s.exact;
  });
  // Pressing the button must not take the selection away before it is read.
  document.addEventListener("mousedown", function (ev) {
    if (ev.target.closest && ev.target.closest("[data-use-selection]")) ev.preventDefault();
  });

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
    if (!form) return;
    form.reset();
    form.hidden = true;
    // reset() leaves hidden inputs as they are: forget the span too, so nothing can tag it again.
    ["start", "end", "exact"].forEach(function (name) { form.querySelector("[name=" + name + "]").value = ""; });
  }

  let shown = null;  // the claim whose panel is open ({id, linked}), kept across column redraws
  function selectClaimSegments(id, linked) {
    // The same claim shown again (its panel refreshed, its column redrawn) leaves the columns
    // scrolled where the reader has them.
    const moved = !shown || shown.id !== id;
    shown = { id: id, linked: linked };
    document.querySelectorAll(".seg.selected, .seg.linked").forEach(function (el) { el.classList.remove("selected", "linked"); });
    const has = function (el, cid) { return (" " + el.dataset.claims + " ").indexOf(" " + cid + " ") !== -1; };
    document.querySelectorAll(".seg[data-claims]").forEach(function (el) {
      if (has(el, id)) el.classList.add("selected");
      linked.forEach(function (cid) { if (has(el, cid)) el.classList.add("linked"); });
    });
    if (!moved) return;
    // Bring each column's most strongly linked span into view (the server lists linked
    // claims strongest first), inside that column only.
    document.querySelectorAll(".source-text").forEach(function (col) {
      let first = null;
      for (const cid of linked) {
        first = Array.from(col.querySelectorAll(".seg.linked")).find(function (el) { return has(el, cid); });
        if (first) break;
      }
      first = first || col.querySelector(".seg.selected");
      if (first) col.scrollTop = first.offsetTop - col.offsetTop - col.clientHeight / 3;
    });
  }

  function updateFlagCount() {
    const count = document.getElementById("flag-count");
    if (count) count.textContent = document.querySelectorAll('input[form="flag-form"]:checked').length;
  }

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

  let refocusColumn = null;
  function focusColumn() {
    const text = refocusColumn && document.getElementById("text-" + refocusColumn);
    if (text) text.focus({ preventScroll: true });
  }
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (refocusColumn && ev.detail.target.classList.contains("column-body")) { focusColumn(); refocusColumn = null; }
  });

  document.addEventListener("htmx:afterRequest", function (ev) {
    const form = ev.detail.elt;
    if (!ev.detail.successful || !form || !form.id) return;
    const ok = ev.detail.xhr.getResponseHeader("HX-Trigger");
    if (!ok) return;  // a refusal: keep what the reviewer typed
    if (form.id === "claim-form") {
      // The keyboard stays in the column the claim was tagged in (its text is redrawn next).
      refocusColumn = form.querySelector("#claim-source").value;
      closeTagForm();
      window.getSelection().removeAllRanges();
      focusColumn();
    }
    if (form.id === "flag-form") {
      form.reset();
      document.querySelectorAll('input[form="flag-form"]:checked').forEach(function (b) { b.checked = false; });
      updateFlagCount();
    }
  });

  // --- Keyboard tagging, the claim panel in place, undo (issue 12) -----------------------
  // Selecting text only selects it (Ctrl+C copies it): a small Tag… button appears beside the
  // selection, and `t` or a kind's key tags it. A focused column has a caret: arrows move it,
  // Shift+arrows extend the selection (Ctrl: by word). Tab reaches each claim, Enter opens it.
  if (document.getElementById("claim-form")) {
    const KIND_KEYS = { d: "date", m: "money", c: "count", p: "percent", u: "duration", s: "measure", e: "entity", o: "other" };
    const MOVES = {
      ArrowLeft: ["backward", "character"], ArrowRight: ["forward", "character"],
      ArrowUp: ["backward", "line"], ArrowDown: ["forward", "line"],
      Home: ["backward", "lineboundary"], End: ["forward", "lineboundary"],
    };
    const tagForm = document.getElementById("claim-form");
    const kindSelect = tagForm.querySelector("[name=kind]");
    const tagButton = document.getElementById("tag-selection");
    const caret = document.getElementById("text-caret");
    const keyOf = {};
    Object.keys(KIND_KEYS).forEach(function (key) { keyOf[KIND_KEYS[key]] = key; });
    Array.from(kindSelect.options).forEach(function (option) {
      if (keyOf[option.value]) option.textContent += " (" + keyOf[option.value] + ")";
    });
    const keys = document.getElementById("kind-keys");
    if (keys) {
      Array.from(kindSelect.options).forEach(function (option) {
        if (!keyOf[option.value]) return;
        const kbd = document.createElement("kbd");
        kbd.textContent = keyOf[option.value];
        keys.append(kbd, " " + option.value + " ");
      });
    }

    const chooseKind = function (kind) {
      kindSelect.value = kind;
      tagForm.querySelector("[name=subject]").focus();
    };

    // The claim spans are what Tab reaches: one stop where each claim begins.
    const focusable = function (root) {
      root.querySelectorAll(".source-text .seg.claim[data-label]").forEach(function (seg) {
        seg.tabIndex = 0;
        seg.setAttribute("role", "button");
        seg.setAttribute("aria-label", seg.title);
      });
    };
    focusable(document);
    document.addEventListener("htmx:load", function (ev) { focusable(ev.detail.elt.parentElement || document); });

    const rectOf = function (range) {
      const rects = range.getClientRects();
      return rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    };
    let mouseDown = false;
    const showSelectionTools = function () {
      const sel = window.getSelection();
      const active = document.activeElement;
      const text = active && active.closest ? active.closest(".source-text") : null;
      caret.hidden = true;
      tagButton.hidden = true;
      if (!sel || !sel.rangeCount) return;
      const range = sel.getRangeAt(0);
      if (sel.isCollapsed) {
        if (!text || !text.contains(range.startContainer)) return;
        let r = rectOf(range);
        if (!r.height && range.startContainer.nodeType === Node.TEXT_NODE && range.startOffset < range.startContainer.length) {
          const one = range.cloneRange();
          one.setEnd(range.startContainer, range.startOffset + 1);
          r = one.getBoundingClientRect();
        }
        if (!r.height) return;
        Object.assign(caret.style, { left: r.left + "px", top: r.top + "px", height: r.height + "px" });
        caret.hidden = false;
        return;
      }
      const s = currentSelection();
      if (!s || s.error || mouseDown) return;
      const r = rectOf(range);
      Object.assign(tagButton.style, {
        left: Math.min(r.right + 4, window.innerWidth - 90) + "px", top: Math.min(r.bottom + 4, window.innerHeight - 36) + "px",
      });
      tagButton.hidden = false;
    };
    document.addEventListener("selectionchange", showSelectionTools);
    document.addEventListener("mousedown", function (ev) { if (ev.target !== tagButton && !tagButton.contains(ev.target)) mouseDown = true; });
    document.addEventListener("mouseup", function () { mouseDown = false; window.setTimeout(showSelectionTools, 0); });
    document.querySelectorAll(".source-text").forEach(function (text) { text.addEventListener("scroll", showSelectionTools); });
    // The button must not take the selection (nor the focus) away before it reads it.
    tagButton.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
    tagButton.addEventListener("click", function () {
      const s = currentSelection();
      if (s) openTagForm(s);
    });

    // Put the caret at the top left of what the column shows, when it has none there yet.
    const placeCaret = function (text) {
      const box = text.getBoundingClientRect();
      const style = window.getComputedStyle(text);
      const x = box.left + parseFloat(style.paddingLeft) + 1;
      const y = box.top + parseFloat(style.paddingTop) + 4;
      let range = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y) : null;
      if (!range || !text.contains(range.startContainer)) {
        range = document.createRange();
        range.setStart(text, 0);
      }
      range.collapse(true);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    };

    const claimStops = function (text) { return Array.from(text.querySelectorAll(".seg.claim[tabindex]")); };
    const openClaim = function (seg) {
      htmx.ajax("GET", "/claims/" + seg.dataset.claims.split(" ")[0] + "/", { target: "#claim-panel", swap: "innerHTML" });
    };

    document.addEventListener("keydown", function (ev) {
      const target = ev.target;
      if (ev.altKey || ev.metaKey) return;
      // A kind's key in the kind box chooses it and moves on to the subject.
      if (target === kindSelect && !ev.ctrlKey && KIND_KEYS[ev.key]) {
        ev.preventDefault();
        chooseKind(KIND_KEYS[ev.key]);
        return;
      }
      const text = target.closest ? target.closest(".source-text") : null;
      if (!text) return;
      const onClaim = target !== text && target.matches(".seg.claim[tabindex]");
      if (onClaim && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        openClaim(target);
        return;
      }
      if (onClaim && !ev.shiftKey && !ev.ctrlKey && MOVES[ev.key] && ev.key.indexOf("Arrow") === 0) {
        // Arrows on a claim go to the previous or next claim of the column.
        ev.preventDefault();
        const stops = claimStops(text);
        const at = stops.indexOf(target) + (ev.key === "ArrowLeft" || ev.key === "ArrowUp" ? -1 : 1);
        if (stops[at]) stops[at].focus();
        return;
      }
      if (MOVES[ev.key]) {
        ev.preventDefault();
        const sel = window.getSelection();
        if (!sel.rangeCount || !text.contains(sel.anchorNode)) placeCaret(text);
        let unit = MOVES[ev.key][1];
        if (ev.ctrlKey && unit === "character") unit = "word";
        sel.modify(ev.shiftKey ? "extend" : "move", MOVES[ev.key][0], unit);
        const node = sel.focusNode && (sel.focusNode.nodeType === Node.TEXT_NODE ? sel.focusNode.parentElement : sel.focusNode);
        if (node && node.scrollIntoView) node.scrollIntoView({ block: "nearest" });
        showSelectionTools();
        return;
      }
      if (!ev.ctrlKey && KIND_KEYS[ev.key]) {
        const s = currentSelection();
        if (s && !s.error) {
          ev.preventDefault();
          openTagForm(s);
          chooseKind(KIND_KEYS[ev.key]);
        }
      }
    });

    // The claim panel takes the focus when it opens (not when it is refreshed after an undo).
    let quietPanel = false;
    document.addEventListener("htmx:afterSwap", function (ev) {
      const id = ev.detail.target.id;
      if (id === "claim-panel" || id === "claim-card") {
        const card = document.getElementById("claim-card");
        if (card && !quietPanel) card.focus();
        quietPanel = false;
      }
      if (ev.detail.target.classList.contains("column-body") && shown) selectClaimSegments(shown.id, shown.linked);
    });

    // An undo (or a tag) changed the claim the panel shows: show it as it now is.
    document.addEventListener("claims-changed", function (ev) {
      const detail = ev.detail || {};
      const card = document.getElementById("claim-card");
      if (!detail.claim || !card || card.dataset.claim !== String(detail.claim)) return;
      if (detail.gone) {
        const hint = document.createElement("p");
        hint.className = "hint";
        hint.textContent = "That claim is no longer tagged.";
        document.getElementById("claim-panel").replaceChildren(hint);
        return;
      }
      quietPanel = true;
      htmx.ajax("GET", "/claims/" + detail.claim + "/", { target: "#claim-panel", swap: "innerHTML" });
    });
  }

  // An Undo button lasts as long as the server accepts it.
  const expireUndo = function (root) {
    root.querySelectorAll(".undo-msg[data-undo-seconds]").forEach(function (msg) {
      const form = msg.querySelector("form.undo");
      if (form) window.setTimeout(function () { form.remove(); }, Number(msg.dataset.undoSeconds) * 1000 - 1000);
    });
  };
  document.addEventListener("htmx:load", function (ev) { expireUndo(ev.detail.elt.parentElement || document); });
  // The review queue has no per-item refresh: after an undo there, redraw its lists. Heard
  // before the swap: the swap replaces the Undo form itself, and events on a removed element
  // never reach the document.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    const form = ev.detail.requestConfig && ev.detail.requestConfig.elt;  // (detail.elt is the target here)
    if (ev.detail.xhr.status >= 400 || !form || !form.matches || !form.matches("form.undo")) return;
    if (!document.querySelector(".review-item")) return;
    window.setTimeout(function () {
      htmx.ajax("GET", window.location.href, { target: "main", select: "main", swap: "outerHTML" });
    }, 0);
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

// A provenance link (/compare/?s=ID#claim-N, from a fact's page) opens the source scrolled
// to the claim's span, which flashes so the eye finds it.
(function () {
  "use strict";
  function flash() {
    const match = /^#claim-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    const segs = Array.from(document.querySelectorAll(".source-text .seg[data-claims]")).filter(function (el) {
      return (" " + el.dataset.claims + " ").indexOf(" " + match[1] + " ") !== -1;
    });
    if (!segs.length) return;
    const col = segs[0].closest(".source-text");
    col.scrollIntoView({ block: "nearest" });
    col.scrollTop = segs[0].offsetTop - col.offsetTop - col.clientHeight / 3;
    segs.forEach(function (el) {
      el.classList.remove("flash");
      void el.offsetWidth;  // restart the animation
      el.classList.add("flash");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flash);
  else flash();
  window.addEventListener("hashchange", flash);
})();

// Search across sources, on the side-by-side page: open at a search hit (#at-START-END),
// find in a column, and filter a column's claim list. Highlights use the CSS Custom
// Highlight API: the text's DOM is left as it is, since every selection offset is read
// from its segments (<span data-start>).
(function () {
  "use strict";
  if (!document.querySelector(".source-text")) return;

  // A JS (UTF-16) index into str after n code points.
  function utf16Index(str, n) {
    let i = 0;
    for (const ch of str) { if (n-- <= 0) break; i += ch.length; }
    return i;
  }

  // The text nodes of a column with the UTF-16 index at which each starts in the whole text.
  function textNodes(text) {
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let length = 0;
    while (walker.nextNode()) { nodes.push({ node: walker.currentNode, at: length }); length += walker.currentNode.data.length; }
    return { nodes: nodes, whole: nodes.map(function (n) { return n.node.data; }).join("") };
  }

  function rangeAt(nodes, from, to) {
    const locate = function (pos, isEnd) {
      for (const n of nodes) {
        if (pos < n.at + n.node.data.length || (isEnd && pos === n.at + n.node.data.length)) return [n.node, pos - n.at];
      }
      const last = nodes[nodes.length - 1];
      return [last.node, last.node.data.length];
    };
    const range = document.createRange();
    range.setStart.apply(range, locate(from, false));
    range.setEnd.apply(range, locate(to, true));
    return range;
  }

  // A code point span of a column's source text as a DOM Range, read from the segments.
  function rangeOfSpan(text, start, end) {
    const point = function (offset, isEnd) {
      const segs = text.querySelectorAll("[data-start]");
      for (let i = segs.length - 1; i >= 0; i--) {
        const seg = segs[i], s = Number(seg.dataset.start);
        if (s < offset || (s === offset && !isEnd)) {
          const node = seg.firstChild && seg.firstChild.nodeType === Node.TEXT_NODE ? seg.firstChild : null;
          if (!node) return null;
          return [node, Math.min(node.data.length, utf16Index(node.data, offset - s))];
        }
      }
      return null;
    };
    const a = point(start, false), b = point(end, true);
    if (!a || !b) return null;
    const range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    return range;
  }

  const highlights = window.CSS && CSS.highlights && typeof Highlight === "function";
  function paint(name, ranges) {
    if (!highlights) return;
    if (ranges.length) CSS.highlights.set(name, new Highlight(...ranges)); else CSS.highlights.delete(name);
  }

  // Scroll a column (only that column, not the page) so the range sits a third of the way down.
  function scrollColumnTo(text, range) {
    const rect = range.getBoundingClientRect(), box = text.getBoundingClientRect();
    text.scrollTop += rect.top - box.top - text.clientHeight / 3;
  }

  // Open at a search hit: #at-START-END (code points) in the first column, scrolled into
  // view, selected (t tags it) and flashed.
  function showSearchHit() {
    const m = /^#at-(\d+)-(\d+)$/.exec(window.location.hash);
    const text = document.querySelector(".source-text");
    if (!m || !text) return;
    const range = rangeOfSpan(text, Number(m[1]), Number(m[2]));
    if (!range) return;
    scrollColumnTo(text, range);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    paint("search-hit", [range]);
    text.classList.remove("search-flash");
    void text.offsetWidth;  // restart the animation
    text.classList.add("search-flash");
    text.focus({ preventScroll: true });
    text.dataset.searchHit = m[1] + "-" + m[2];
  }
  showSearchHit();
  window.addEventListener("hashchange", showSearchHit);

  // --- Find in a column: Enter / Shift+Enter (or the arrows) go to the next / previous
  // match in that column's text; "3 of 12" says where. Case does not count.
  const finds = {};  // source id -> { ranges, current }

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function paintFinds() {
    const all = [], current = [];
    Object.values(finds).forEach(function (f) {
      f.ranges.forEach(function (r, i) { (i === f.current ? current : all).push(r); });
    });
    paint("find-hit", all);
    paint("find-current", current);
  }

  function findCount(source) {
    const out = document.getElementById("find-count-" + source), f = finds[source];
    if (!out) return;
    const input = document.getElementById("find-" + source);
    out.textContent = !input || !input.value ? "" : f.ranges.length ? (f.current + 1) + " of " + f.ranges.length : "no match";
  }

  function findRun(source, scroll) {
    const input = document.getElementById("find-" + source);
    const text = document.getElementById("text-" + source);
    finds[source] = { ranges: [], current: -1 };
    if (input && text && input.value) {
      const t = textNodes(text);
      const re = new RegExp(escapeRegExp(input.value), "giu");
      let m;
      while ((m = re.exec(t.whole)) !== null && finds[source].ranges.length < 10000) {
        if (!m[0].length) { re.lastIndex++; continue; }
        finds[source].ranges.push(rangeAt(t.nodes, m.index, m.index + m[0].length));
      }
      if (finds[source].ranges.length) finds[source].current = 0;
    }
    if (scroll !== false && finds[source].current >= 0) scrollColumnTo(text, finds[source].ranges[0]);
    paintFinds();
    findCount(source);
  }

  function findStep(source, step) {
    const f = finds[source];
    if (!f || !f.ranges.length) { findRun(source); return; }
    f.current = (f.current + step + f.ranges.length) % f.ranges.length;
    scrollColumnTo(document.getElementById("text-" + source), f.ranges[f.current]);
    paintFinds();
    findCount(source);
  }

  document.addEventListener("input", function (ev) {
    if (ev.target.classList.contains("find-input")) findRun(ev.target.dataset.source);
  });
  document.addEventListener("keydown", function (ev) {
    if (!ev.target.classList || !ev.target.classList.contains("find-input")) return;
    if (ev.key === "Enter") { ev.preventDefault(); findStep(ev.target.dataset.source, ev.shiftKey ? -1 : 1); }
  });
  document.addEventListener("click", function (ev) {
    const button = ev.target.closest && ev.target.closest(".find-prev, .find-next");
    if (button) findStep(button.dataset.source, button.classList.contains("find-prev") ? -1 : 1);
  });

  // --- Claim list filters: kind, status, and subject or property containing some text.
  function filterClaims(source) {
    const tools = document.querySelector('.claim-filters[data-source="' + source + '"]');
    const list = document.getElementById("claim-items-" + source);
    if (!tools || !list) return;
    const kind = tools.querySelector(".filter-kind").value;
    const status = tools.querySelector(".filter-status").value;
    const words = tools.querySelector(".filter-property").value.trim().toLowerCase();
    const filtering = kind || status || words;
    const more = list.querySelector(".more a");
    if (filtering && more && !more.dataset.loading) {
      // A long column lists its first claims only: load them all, then filter (on swap).
      more.dataset.loading = "1";
      htmx.trigger(more, "click");
    }
    let shown = 0, all = 0;
    list.querySelectorAll(".claim-item").forEach(function (item) {
      const keep = (!kind || item.dataset.kind === kind) && (!status || item.dataset.status === status) &&
        (!words || (item.dataset.property || "").toLowerCase().indexOf(words) !== -1);
      item.hidden = !keep;
      all++; if (keep) shown++;
    });
    const count = document.getElementById("claim-filter-count-" + source);
    if (count) count.textContent = filtering ? shown + " of " + all + " claims" : "";
  }

  document.addEventListener("input", function (ev) {
    if (ev.target.closest && ev.target.closest(".claim-filters")) filterClaims(ev.target.dataset.source);
  });
  document.addEventListener("change", function (ev) {
    if (ev.target.closest && ev.target.closest(".claim-filters")) filterClaims(ev.target.dataset.source);
  });

  // A column refreshed (a claim tagged, a contradiction flagged, every claim loaded): its
  // text nodes are new, so find again, and filter the new list.
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll(".find-input").forEach(function (input) {
      if (input.value) {
        const keep = finds[input.dataset.source] ? finds[input.dataset.source].current : 0;
        findRun(input.dataset.source, false);  // the column keeps its scroll position
        const f = finds[input.dataset.source];
        if (f.ranges.length && keep > 0) { f.current = Math.min(keep, f.ranges.length - 1); paintFinds(); findCount(input.dataset.source); }
      }
    });
    document.querySelectorAll(".claim-filters").forEach(function (tools) { filterClaims(tools.dataset.source); });
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

// Free text over its limit (data-limit, the domain's own): say so beside the field and hold
// the form back, keeping every character typed or pasted (maxlength would cut it silently).
(function () {
  "use strict";
  function check(field) {
    const limit = Number(field.dataset.limit), length = Array.from(field.value).length;
    const over = length > limit;
    field.setCustomValidity(over ? "At most " + limit.toLocaleString("en") + " characters (this one has " +
                                   length.toLocaleString("en") + ")." : "");
    let note = field.nextElementSibling;
    if (!note || !note.classList.contains("limit-note")) {
      if (!over) return;
      note = document.createElement("span");
      note.className = "limit-note msg-error";
      note.setAttribute("role", "alert");
      field.insertAdjacentElement("afterend", note);
    }
    note.textContent = field.validationMessage;
    note.hidden = !over;
  }
  document.addEventListener("input", function (ev) {
    if (ev.target.dataset && ev.target.dataset.limit) check(ev.target);
  });
})();

// Live updates (issue 14): the page's poller (#live, partials/live.html) asks what changed since
// its token; an answer naming changes raises "workbench-changed" and only what changed is
// redrawn: on the side-by-side view the columns of the sources named (their scroll, ticks and
// a text selection kept) and the open claim's panel (unless the reader is in it or typed into
// it), on the review queue its lists, on the matrix its table (scrolled as
// it was, changed rows marked). htmx itself puts the focus back on an element with an id.
(function () {
  "use strict";

  function codePoints(str) { let n = 0; for (const _ of str) n++; return n; }
  function utf16Index(str, n) { let i = 0; for (const ch of str) { if (n-- <= 0) break; i += ch.length; } return i; }

  // A selection inside one column as code point offsets (read from the segments), and back.
  function offsetOf(node, offset) {
    const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const seg = el && el.closest("[data-start]");
    if (!seg || node.nodeType !== Node.TEXT_NODE) return null;
    return Number(seg.dataset.start) + codePoints(node.data.slice(0, offset));
  }
  function pointAt(text, offset) {
    const segs = text.querySelectorAll("[data-start]");
    for (let i = segs.length - 1; i >= 0; i--) {
      const s = Number(segs[i].dataset.start), node = segs[i].firstChild;
      if (s <= offset && node && node.nodeType === Node.TEXT_NODE) return [node, Math.min(node.data.length, utf16Index(node.data, offset - s))];
    }
    return null;
  }

  // What a live redraw keeps (by the id of the element it replaces): a text selection in a
  // column, the matrix's scroll and its rows' text (to mark changed rows).
  // Only live redraws: a column redrawn after the reader's own tagging keeps its own rules.
  const pending = new Set(), kept = {};
  function keep(target) {
    const saved = {};
    const sel = window.getSelection();
    if (sel && sel.rangeCount && !sel.isCollapsed) {
      const range = sel.getRangeAt(0);
      const text = range.startContainer.parentElement && range.startContainer.parentElement.closest(".source-text");
      if (text && target.contains(text)) {
        const a = offsetOf(range.startContainer, range.startOffset), b = offsetOf(range.endContainer, range.endOffset);
        if (a !== null && b !== null) saved.selection = { text: text.id, start: a, end: b };
      }
    }
    const scroll = target.querySelector(".matrix-scroll");
    if (scroll) {
      saved.scroll = [scroll.scrollTop, scroll.scrollLeft];
      saved.rows = {};
      target.querySelectorAll("tr[data-point]").forEach(function (tr) { saved.rows[tr.dataset.point] = tr.textContent; });
    }
    kept[target.id] = saved;
  }
  function restore(id) {
    const saved = kept[id], root = document.getElementById(id);
    delete kept[id];
    if (!saved || !root) return;
    const s = saved.selection, text = s && document.getElementById(s.text);
    if (text) {
      const a = pointAt(text, s.start), b = pointAt(text, s.end);
      if (a && b) {
        const range = document.createRange();
        range.setStart(a[0], a[1]);
        range.setEnd(b[0], b[1]);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
      }
    }
    const scroll = saved.scroll && root.querySelector(".matrix-scroll");
    if (scroll) {
      scroll.scrollTop = saved.scroll[0];
      scroll.scrollLeft = saved.scroll[1];
      root.querySelectorAll("tr[data-point]").forEach(function (tr) {
        if (saved.rows[tr.dataset.point] !== tr.textContent) tr.classList.add("changed");
      });
    }
  }
  document.addEventListener("htmx:beforeSwap", function (ev) {
    if (pending.has(ev.detail.target.id)) keep(ev.detail.target);
  });
  document.addEventListener("htmx:afterSwap", function (ev) {
    const id = ev.detail.target.id;
    if (!pending.has(id)) return;
    pending.delete(id);
    restore(id);
  });
  function redraw(id, run) { pending.add(id); run(); }

  document.addEventListener("workbench-changed", function (ev) {
    const detail = ev.detail || {};
    const sources = (detail.sources || []).map(String);
    // Side by side: the columns of the sources named (workbench.js keeps their scroll and ticks).
    document.querySelectorAll(".column-body[data-source]").forEach(function (body) {
      if (detail.all || sources.indexOf(body.dataset.source) !== -1) {
        redraw(body.id, function () { htmx.trigger(body, "refresh-column"); });
      }
    });
    // The open claim's panel, unless the reader is in it or has typed into it.
    const card = document.getElementById("claim-card"), panel = document.getElementById("claim-panel");
    if (card && panel && (detail.all || sources.indexOf(card.dataset.source) !== -1)) {
      const typed = Array.from(panel.querySelectorAll("input:not([type=hidden]), textarea")).some(function (f) { return f.value !== f.defaultValue; });
      if (!typed && !panel.contains(document.activeElement)) {
        htmx.ajax("GET", "/claims/" + card.dataset.claim + "/", { target: "#claim-panel", swap: "innerHTML" });
      }
    }
    // The review queue's lists, and the matrix's table: the same page again, that part of it.
    if (document.getElementById("review-lists")) {
      redraw("review-lists", function () {
        htmx.ajax("GET", window.location.href, { target: "#review-lists", select: "#review-lists", swap: "outerHTML" });
      });
    }
    if (document.getElementById("matrix-table")) {
      redraw("matrix-table", function () {
        htmx.ajax("GET", window.location.href, { target: "#matrix-table", swap: "outerHTML" });
      });
    }
  });
})();

// The revision page (issue 13): old and new versions side by side. "Next change" / "Previous
// change" (or n / p) bring change N into view in both columns at once; a link to a claim or a
// change in one column (href) with its counterpart in the other (data-also) shows both.
(function () {
  "use strict";
  const nav = document.getElementById("change-nav");
  if (!nav) return;
  const count = Number(nav.dataset.count);
  const status = document.getElementById("change-status");
  let current = 0;

  // Scroll the column holding el (and the page, to the column) so el sits a third of the way down.
  function reveal(el) {
    const col = el.closest(".source-text");
    if (!col) return;
    col.scrollIntoView({ block: "nearest" });
    col.scrollTop += el.getBoundingClientRect().top - col.getBoundingClientRect().top - col.clientHeight / 3;
  }
  // A claim's anchor is empty: what flashes is the claim's segments in that column.
  function flashClaim(anchor) {
    const id = /^claim-(\d+)$/.exec(anchor.id);
    const col = anchor.closest(".source-text");
    if (!id || !col) return;
    col.querySelectorAll(".seg[data-claims]").forEach(function (el) {
      if ((" " + el.dataset.claims + " ").indexOf(" " + id[1] + " ") === -1) return;
      el.classList.remove("flash");
      void el.offsetWidth;  // restart the animation
      el.classList.add("flash");
    });
  }
  function show(ids) {
    ids.forEach(function (id) {
      const el = document.getElementById(id);
      if (!el) return;
      reveal(el);
      flashClaim(el);
    });
  }
  function go(n) {
    if (!count) return;
    current = ((n - 1 + count) % count) + 1;
    document.querySelectorAll(".revision-text .current").forEach(function (el) { el.classList.remove("current"); });
    const ids = ["old-change-" + current, "new-change-" + current];
    ids.forEach(function (id) { const el = document.getElementById(id); if (el) el.classList.add("current"); });
    show(ids);
    status.textContent = "Change " + current + " of " + count;
    const prev = ((current - 2 + count) % count) + 1, next = (current % count) + 1;
    document.getElementById("change-prev").setAttribute("href", "#new-change-" + prev);
    document.getElementById("change-prev").dataset.also = "old-change-" + prev;
    document.getElementById("change-next").setAttribute("href", "#new-change-" + next);
    document.getElementById("change-next").dataset.also = "old-change-" + next;
  }
  document.addEventListener("click", function (ev) {
    const link = ev.target.closest && ev.target.closest("a[data-also]");
    if (!link) return;
    ev.preventDefault();
    if (link.id === "change-next") return go(current + 1);
    if (link.id === "change-prev") return go(current - 1);
    show([link.getAttribute("href").slice(1), link.dataset.also]);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    const t = ev.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    if (ev.key === "n") { ev.preventDefault(); go(current + 1); }
    else if (ev.key === "p") { ev.preventDefault(); go(current - 1); }
  });
})();
