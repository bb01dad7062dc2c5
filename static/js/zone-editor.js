// A story's zones on its printed page, dragged where JavaScript runs: each zone row of the story's
// form gets the page's picture with the zone as a box; moving it or its corner writes the fractions
// back into the row's fields, and typing in the fields moves the box. Without JavaScript the fields
// are the whole editor.
(function () {
  "use strict";
  var FIELDS = ["x", "y", "w", "h"];

  function round(value) {
    return Math.round(Math.min(1, Math.max(0, value)) * 10000) / 10000;
  }

  function inputs(row) {
    var found = {};
    FIELDS.forEach(function (name) {
      found[name] = row.querySelector("input.zone-" + name);
    });
    found.page = row.querySelector("select[data-page-images]");
    return found;
  }

  function editor(row) {
    var fields = inputs(row);
    if (!fields.page || !fields.x) return;
    var images = JSON.parse(fields.page.getAttribute("data-page-images") || "{}");
    var cell = document.createElement("div");
    cell.className = "zone-editor";
    var sheet = document.createElement("div");
    sheet.className = "zone-sheet";
    var picture = document.createElement("img");
    picture.alt = "版面图：拖动方框移动区域，拖动右下角改变大小";
    var box = document.createElement("div");
    box.className = "zone-box";
    box.tabIndex = 0;
    var corner = document.createElement("div");
    corner.className = "zone-corner";
    box.appendChild(corner);
    sheet.appendChild(picture);
    sheet.appendChild(box);
    cell.appendChild(sheet);
    var holder = document.createElement("tr");
    holder.className = "zone-editor-row";
    var td = document.createElement("td");
    td.colSpan = row.children.length;
    td.appendChild(cell);
    holder.appendChild(td);
    row.parentNode.insertBefore(holder, row.nextSibling);

    function value(name) {
      var number = parseFloat(fields[name].value);
      return isNaN(number) ? 0 : number;
    }

    function draw() {
      var source = images[fields.page.value];
      holder.hidden = !source;
      if (!source) return;
      if (picture.getAttribute("src") !== source) picture.src = source;
      box.style.left = value("x") * 100 + "%";
      box.style.top = value("y") * 100 + "%";
      box.style.width = value("w") * 100 + "%";
      box.style.height = value("h") * 100 + "%";
    }

    function write(values) {
      FIELDS.forEach(function (name) {
        if (name in values) fields[name].value = round(values[name]);
      });
      draw();
    }

    function drag(event, resize) {
      event.preventDefault();
      event.stopPropagation();
      var area = sheet.getBoundingClientRect();
      var start = { x: event.clientX, y: event.clientY };
      var from = { x: value("x"), y: value("y"), w: value("w"), h: value("h") };
      function move(moved) {
        var dx = (moved.clientX - start.x) / area.width;
        var dy = (moved.clientY - start.y) / area.height;
        if (resize) {
          write({ w: Math.max(0.005, Math.min(1 - from.x, from.w + dx)), h: Math.max(0.005, Math.min(1 - from.y, from.h + dy)) });
        } else {
          write({ x: Math.max(0, Math.min(1 - from.w, from.x + dx)), y: Math.max(0, Math.min(1 - from.h, from.y + dy)) });
        }
      }
      function stop() {
        document.removeEventListener("pointermove", move);
        document.removeEventListener("pointerup", stop);
      }
      document.addEventListener("pointermove", move);
      document.addEventListener("pointerup", stop);
    }

    box.addEventListener("pointerdown", function (event) {
      drag(event, false);
    });
    corner.addEventListener("pointerdown", function (event) {
      drag(event, true);
    });
    // Arrow keys move the box a little (with Shift, they resize it): the box is reachable without a mouse.
    box.addEventListener("keydown", function (event) {
      var steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key];
      if (!steps) return;
      event.preventDefault();
      var step = 0.005;
      if (event.shiftKey) {
        write({ w: Math.max(0.005, value("w") + steps[0] * step), h: Math.max(0.005, value("h") + steps[1] * step) });
      } else {
        write({ x: value("x") + steps[0] * step, y: value("y") + steps[1] * step });
      }
    });
    FIELDS.concat(["page"]).forEach(function (name) {
      fields[name].addEventListener("input", draw);
      fields[name].addEventListener("change", draw);
    });
    draw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("tr.form-row").forEach(function (row) {
      if (!row.id || row.id.indexOf("__prefix__") !== -1) return;
      if (row.querySelector("select[data-page-images]")) editor(row);
    });
  });
})();
