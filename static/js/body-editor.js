// The story body's editor: a toolbar over the text box, pasted text cleaned, a live count, a preview.
// The text box stays the body: without this script it is typed in the same plain syntax and saved alike.
// cleanPasted() follows newsroom/pasting.py and count() follows body.character_count(), rule for rule.
(function () {
  "use strict";

  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var CJK = HAN + "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u201c\u201d\u2018\u2019\u2026\u2014\u00b7";
  var HAN_CHARACTER = new RegExp("[" + HAN + "]|[\\u{20000}-\\u{3134F}]", "u");
  var CJK_CHARACTER = new RegExp("^[" + CJK + "]$");
  var SENTENCE_ENDS = "。！？…";
  var CLOSERS = "”’」』）》";
  var SENTENCE_MARKS = "，。；：！？,.;:!?";
  var FULL_WIDTH = { ",": "，", ":": "：", ";": "；", "?": "？", "!": "！" };
  var INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
  var ODD_SPACES = /[\u00a0\u2002-\u200a\u202f\u205f]/g;
  var SPACES = /[ \t\u3000]+/g;
  var INDENT = /^(?:[\u3000\t]| {2})/;
  var LINE_BREAKS = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
  var HALF_WIDTH_PUNCTUATION = /\s*([,:;?!])\s*/g;
  var PARENTHESES = /\(([^()]*)\)/g;
  var SPACE_AT_PUNCTUATION = /[ ]+(?=[，。；：！？、）”》])|(?<=[（“《，。；：！？、])[ ]+/g;
  var SUBHEAD_LINE = /^##+\s*(\S.*)$/;
  var QUOTE_LINE = /^>\s*(\S.*)$/;
  var PHOTO_LINE = /^[\[【]图\s*(\d{1,3})\s*[\]】]$/;
  var CAPTION_LINE = /^表[：:]\s*(.*)$/;
  var RULE_LINE = /^(?:\|(\s*:?-+:?\s*\|)+\s*|\|\s*:?-+:?\s*)$/;
  var HEADING_LENGTH = 16;
  var FULL_LINE = 0.6;

  function isCjk(character) { return !!character && CJK_CHARACTER.test(character); }
  function isAsciiAlnum(character) { return /^[A-Za-z0-9]$/.test(character); }
  function strip(text) { return text.replace(/^[\s\x1c-\x1f]+|[\s\x1c-\x1f]+$/g, ""); }

  function halfWidth(text) {
    return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (character) {
      return String.fromCharCode(character.charCodeAt(0) - 0xfee0);
    });
  }

  function cleanLine(line) {
    line = strip(line.replace(SPACES, " "));
    line = halfWidth(line);
    line = line.replace(HALF_WIDTH_PUNCTUATION, function (match, mark, offset, whole) {
      var before = offset ? whole[offset - 1] : "";
      var end = offset + match.length;
      var after = end < whole.length ? whole[end] : "";
      if (isCjk(before) || (isCjk(after) && !isAsciiAlnum(before))) return FULL_WIDTH[mark];
      return match;
    });
    line = line.replace(PARENTHESES, function (match, inside, offset, whole) {
      var before = offset ? whole[offset - 1] : "";
      var end = offset + match.length;
      var after = end < whole.length ? whole[end] : "";
      if (new RegExp("[" + HAN + "]").test(inside + before + after)) return "（" + strip(inside) + "）";
      return match;
    });
    return line.replace(SPACE_AT_PUNCTUATION, "");
  }

  function isMark(line) {
    return line[0] === "|" || line[0] === "\\" || PHOTO_LINE.test(line) || SUBHEAD_LINE.test(line) ||
      CAPTION_LINE.test(line);
  }

  function width(line) {
    var total = 0;
    for (var character of line) total += isCjk(character) ? 2 : 1;
    return total;
  }

  function endsSentence(line) {
    var end = line.length;
    while (end > 0 && CLOSERS.indexOf(line[end - 1]) >= 0) end -= 1;
    return end > 0 && SENTENCE_ENDS.indexOf(line[end - 1]) >= 0;
  }

  function isHeading(line) {
    if (Array.from(line).length > HEADING_LENGTH) return false;
    for (var mark of SENTENCE_MARKS) if (line.indexOf(mark) >= 0) return false;
    return true;
  }

  // The paper's style for pasted text: newsroom/pasting.py's clean_pasted() says each rule and why.
  function cleanPasted(text) {
    var lines = (text || "").replace(INVISIBLE, "").split(LINE_BREAKS).map(function (raw) {
      raw = raw.replace(ODD_SPACES, " ");
      return { indented: INDENT.test(raw), text: cleanLine(raw) };
    });
    if (lines.length && lines[lines.length - 1].text === "" && /(\r\n|[\n\r])$/.test(text)) lines.pop();
    var joined = [];
    var widest = 0;
    lines.forEach(function (line, index) {
      if (!line.text) {
        widest = 0;
        joined.push("");
        return;
      }
      if (!widest) {
        for (var end = index; end < lines.length && lines[end].text; end += 1) {
          widest = Math.max(widest, width(lines[end].text));
        }
      }
      var previous = joined.length ? joined[joined.length - 1] : "";
      if (previous && !line.indented && !isMark(line.text) && !QUOTE_LINE.test(line.text) &&
          !isMark(previous) && !endsSentence(previous) && !isHeading(previous) &&
          width(lines[index - 1].text) >= FULL_LINE * widest) {
        var last = Array.from(previous).pop();
        var space = isCjk(last) || isCjk(Array.from(line.text)[0]) ? "" : " ";
        joined[joined.length - 1] = previous + space + line.text;
      } else {
        joined.push(line.text);
      }
    });
    return joined.join("\n");
  }

  function rowCells(line) {
    var cells = [], cell = "", escaped = false, closed = false;
    for (var character of line.slice(1)) {
      closed = false;
      if (escaped) { cell += character; escaped = false; }
      else if (character === "\\") escaped = true;
      else if (character === "|") { cells.push(cell); cell = ""; closed = true; }
      else cell += character;
    }
    if (!closed) cells.push(cell);
    return cells;
  }

  // What a reader reads of the typed body, as body.texts() gives it from the stored one.
  function texts(text) {
    var lines = text.split(LINE_BREAKS).map(strip);
    var pieces = [];
    lines.forEach(function (line, index) {
      var match;
      if (!line || RULE_LINE.test(line) || PHOTO_LINE.test(line)) return;
      if (line[0] === "\\") pieces.push(line.slice(1));
      else if (line[0] === "|") pieces.push(rowCells(line).join(" "));
      else if ((match = CAPTION_LINE.exec(line)) && (lines[index + 1] || "")[0] === "|") pieces.push(match[1]);
      else if ((match = SUBHEAD_LINE.exec(line)) || (match = QUOTE_LINE.exec(line))) pieces.push(match[1]);
      else pieces.push(line);
    });
    return pieces;
  }

  function count(text) {
    var han = 0, other = 0;
    texts(text).forEach(function (piece) {
      for (var character of piece) {
        if (/\s/.test(character)) continue;
        if (HAN_CHARACTER.test(character)) han += 1; else other += 1;
      }
    });
    return { han: han, other: other };
  }

  // Put `text` where the cursor is, as a block of its own (a blank line either side), and select `select` in it.
  function insertBlock(box, text, select) {
    var start = box.selectionStart, end = box.selectionEnd, value = box.value;
    var before = value.slice(0, start).replace(/[ \t]*$/, "");
    var after = value.slice(end).replace(/^[ \t]*/, "");
    var head = before === "" ? "" : /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var tail = after === "" ? "\n" : /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    box.focus();
    box.setRangeText(head + text + tail, before.length, value.length - after.length, "end");
    // The cursor goes onto the example to type over, or past the block, ready for the next paragraph.
    var at = before.length + head.length + (select ? text.indexOf(select) : text.length + tail.length);
    box.setSelectionRange(at, at + (select ? select.length : 0));
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // A subhead or quote: the selected text, or the line the cursor is on unless it is a finished sentence
  // (then a new one goes after it), marked; an example to type over if there is none.
  function markLine(box, mark, example) {
    var value = box.value, start = box.selectionStart, end = box.selectionEnd;
    var selected = strip(value.slice(start, end));
    if (!selected) {
      var lineStart = value.lastIndexOf("\n", start - 1) + 1;
      var lineEnd = value.indexOf("\n", start);
      if (lineEnd < 0) lineEnd = value.length;
      selected = strip(value.slice(lineStart, lineEnd));
      if (endsSentence(selected)) {
        selected = "";
        box.setSelectionRange(lineEnd, lineEnd);
      } else if (selected) box.setSelectionRange(lineStart, lineEnd);
    }
    selected = selected.replace(/^(##+|>)\s*/, "");
    insertBlock(box, mark + (selected || example), selected ? null : example);
  }

  function setUp(editor) {
    var box = editor.querySelector("textarea");
    var tools = editor.querySelector(".body-editor-tools");
    var photos = editor.querySelector("[data-photo-list]");
    var han = editor.querySelector("[data-han]");
    var other = editor.querySelector("[data-other]");
    var previewBox = editor.querySelector("[data-preview-box]");
    tools.hidden = false;

    function recount() {
      var counted = count(box.value);
      han.textContent = counted.han;
      other.textContent = counted.other;
    }

    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var kind = button.dataset.insert;
      if (kind === "subhead") markLine(box, "## ", "小标题");
      else if (kind === "quote") markLine(box, "> ", "引文");
      else if (kind === "table") insertBlock(box, "表：表题\n| 第一列 | 第二列 |\n|---|---|\n|  |  |\n|  |  |", "表题");
      else if (kind === "photo") {
        if (!photos.value) { photos.focus(); return; }
        insertBlock(box, "[图" + photos.value + "]");
      } else if (button.hasAttribute("data-preview")) preview();
    });

    box.addEventListener("paste", function (event) {
      var data = event.clipboardData && event.clipboardData.getData("text/plain");
      if (!data) return;
      event.preventDefault();
      box.setRangeText(cleanPasted(data), box.selectionStart, box.selectionEnd, "end");
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });

    box.addEventListener("input", recount);

    function preview() {
      var form = box.form;
      var data = new FormData();
      data.append("body", box.value);
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      previewBox.hidden = false;
      previewBox.textContent = "正在生成预览…";
      fetch(editor.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        // The server renders the body escaped, through the story page's own template.
        .then(function (html) { previewBox.innerHTML = html; })
        .catch(function () { previewBox.textContent = "预览没有生成，请检查网络后再试。"; });
    }
    recount();
  }

  window.newsroomBody = { cleanPasted: cleanPasted, count: count };
  // The admin loads form scripts in the page's head, before the form is there.
  function start() { document.querySelectorAll("[data-body-editor]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
