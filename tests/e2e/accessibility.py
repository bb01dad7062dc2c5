"""Obvious accessibility faults, found in the page as the browser renders it.

Images without alt text, form fields without a label, a page without an h1,
and text whose contrast with its background is below WCAG AA (4.5:1; 3:1 for
large text), from the colours the browser computed.

Readers' pages are held to more (``reader=True``): headings that go down one
level at a time, ``aria-label`` only where it names something (not a plain
``div``), a link's or button's name that holds the words it shows, links in
running text told apart by more than colour, every id once and every id an
``aria-labelledby`` or ``for`` names present.
"""

import re

FAULTS_JS = r"""
() => {
  const faults = [];
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    if (el.getAttribute("name")) text += "[name=" + el.getAttribute("name") + "]";
    if (el.className && typeof el.className === "string") text += "." + el.className.trim().split(/\s+/).join(".");
    return text;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return false;
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1;
  };

  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) faults.push("image without alt text: " + (img.getAttribute("src") || describe(img)));
  }

  const notFields = ["hidden", "submit", "button", "reset", "image"].map((type) => `:not([type=${type}])`).join("");
  const fields = document.querySelectorAll(`input${notFields}, select, textarea`);
  for (const field of fields) {
    // The admin's blank rows kept for "add another" are not rendered until they are used.
    if (field.getClientRects().length === 0) continue;
    const labelled =
      (field.labels && field.labels.length > 0) ||
      (field.getAttribute("aria-label") || "").trim() ||
      (field.getAttribute("aria-labelledby") || "").trim().split(/\s+/).some((id) => id && document.getElementById(id));
    if (!labelled) faults.push("form field without a label: " + describe(field));
  }

  if (!document.querySelector("h1")) faults.push("page without an h1");

  const parse = (colour) => {
    const m = colour.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const parts = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  // The colour behind an element: its own and its ancestors' backgrounds, blended, over white.
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== "none") return null;
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = ({ r, g, b }) => {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };

  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (!text.textContent.trim()) continue;
    const el = text.parentElement;
    if (!el || seen.has(el) || ["SCRIPT", "STYLE", "NOSCRIPT", "OPTION"].includes(el.tagName)) continue;
    seen.add(el);
    if (!shown(el) || el.closest("[aria-hidden=true]")) continue;
    const style = getComputedStyle(el);
    // Text moved off screen or clipped to a pixel (skip links, visually hidden labels) is not read by the eye.
    const box = el.getBoundingClientRect();
    if (box.right < 0 || box.bottom < 0 || style.clip === "rect(0px, 0px, 0px, 0px)") continue;
    const fg = parse(style.color);
    const bg = background(el);
    if (!fg || !bg) continue;
    const opacity = Number(style.opacity);
    const colour = over({ ...fg, a: fg.a * (isNaN(opacity) ? 1 : opacity) }, bg);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const needed = large ? 3 : 4.5;
    const found = ratio(colour, bg);
    if (found < needed) {
      const behind = `rgb(${[bg.r, bg.g, bg.b].map(Math.round).join(", ")})`;
      faults.push(
        `low contrast ${found.toFixed(2)}:1 (needs ${needed}:1): ${describe(el)} ` +
          `“${text.textContent.trim().slice(0, 30)}” ${style.color} on ${behind}`
      );
    }
  }
  return faults;
}
"""


READER_FAULTS_JS = r"""
() => {
  const faults = [];
  const clean = (text) => (text || "").replace(/\s+/g, " ").trim();
  const shown = (el) => el.getClientRects().length > 0;

  let previous = 0;
  for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(heading.tagName[1]);
    if (level > previous + 1) {
      faults.push(`heading skips a level: h${previous} to h${level} “${clean(heading.textContent).slice(0, 30)}”`);
    }
    previous = level;
  }

  // aria-label names a landmark, a control or an image; on a plain div or span nobody reads it.
  for (const el of document.querySelectorAll("div[aria-label], span[aria-label], p[aria-label]")) {
    if (el.getAttribute("role")) continue;
    const tag = el.tagName.toLowerCase();
    faults.push(`aria-label on a ${tag} without a role: “${el.getAttribute("aria-label")}”`);
  }

  // A control's name holds what it shows, so that a person who says what they see can use it.
  for (const el of document.querySelectorAll("a[href][aria-label], button[aria-label]")) {
    const seen = clean(el.innerText);
    if (shown(el) && seen && !clean(el.getAttribute("aria-label")).includes(seen)) {
      faults.push(`name “${el.getAttribute("aria-label")}” does not hold the words shown “${seen}”`);
    }
  }

  // A link among words is underlined (or bordered, or bold), not told apart by its colour alone.
  for (const link of document.querySelectorAll("a[href]")) {
    if (!shown(link) || !clean(link.innerText)) continue;
    const block = link.closest("p, li, td, dd, dt, figcaption, blockquote");
    if (!block || clean(block.innerText) === clean(link.innerText)) continue;
    const style = getComputedStyle(link);
    const marked =
      style.textDecorationLine.includes("underline") ||
      parseFloat(style.borderBottomWidth) > 0 ||
      Number(style.fontWeight) >= Number(getComputedStyle(block).fontWeight) + 300;
    if (!marked) faults.push(`link told apart by colour only: “${clean(link.innerText).slice(0, 30)}”`);
  }

  const ids = new Map();
  for (const el of document.querySelectorAll("[id]")) ids.set(el.id, (ids.get(el.id) || 0) + 1);
  for (const [id, count] of ids) if (count > 1) faults.push(`id used ${count} times: ${id}`);
  for (const el of document.querySelectorAll("[aria-labelledby], [aria-describedby], label[for]")) {
    const named = [el.getAttribute("aria-labelledby"), el.getAttribute("aria-describedby"), el.getAttribute("for")];
    for (const id of named.join(" ").split(/\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) faults.push(`refers to a missing id: ${id}`);
    }
  }
  return faults;
}
"""


def accessibility_faults(page, reader=False):
    """The faults found on ``page``; on a readers' page (``reader``), those of READER_FAULTS_JS too."""
    faults = page.evaluate(FAULTS_JS)
    return faults + page.evaluate(READER_FAULTS_JS) if reader else faults


def assert_accessible(page, what, known=(), reader=False):
    """No faults on the page but the ``known`` ones: (regular expression, reason) pairs, each of which must match."""
    faults = accessibility_faults(page, reader)
    for pattern, reason in known:
        matching = [fault for fault in faults if re.search(pattern, fault)]
        assert matching, f"{what}: the known fault {pattern!r} ({reason}) is gone; take it off the list"
        faults = [fault for fault in faults if fault not in matching]
    assert not faults, f"Accessibility faults on {what}:\n  " + "\n  ".join(faults)
