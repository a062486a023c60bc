/* Städtenetz: suggestions while typing (issue #17). Progressive enhancement only — every form works without
   this file, by typing names or e-mail addresses.
   <input data-suggest="URL">: a native <datalist> is filled from URL?q=… (JSON {"results": [{"value", "label"}]},
   at most 20 matches) once two letters are typed; the browser offers them accessibly (arrow keys, screen readers).
   <textarea data-suggest="URL" data-suggest-label="…" data-suggest-added="…">: one entry per line; a search
   field is added below it, and a chosen suggestion becomes a new line of the textarea (announced politely). */
(function () {
  "use strict";
  var counter = 0;

  function attach(input, url, onPick) {
    var list = document.createElement("datalist");
    counter += 1;
    list.id = "suggest-list-" + counter;
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.insertAdjacentElement("afterend", list);
    var timer = null;
    var asked = "";
    var offered = {};
    input.addEventListener("input", function () {
      if (onPick && Object.prototype.hasOwnProperty.call(offered, input.value)) {
        onPick(input.value);
        return;
      }
      var q = input.value.trim();
      window.clearTimeout(timer);
      if (q.length < 2 || q === asked) { return; }
      timer = window.setTimeout(function () {
        asked = q;
        var sep = url.indexOf("?") < 0 ? "?" : "&";
        window.fetch(url + sep + "q=" + encodeURIComponent(q),
                     {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (resp) { return resp.ok ? resp.json() : {results: []}; })
          .then(function (data) {
            if (input.value.trim() !== q) { return; }  // the user typed on: a newer answer follows
            list.textContent = "";
            offered = {};
            (data.results || []).forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.value;
              if (item.label) { option.label = item.label; }
              offered[item.value] = true;
              list.appendChild(option);
            });
          })
          .catch(function () { /* no suggestions: typing still works */ });
      }, 250);
    });
  }

  function attachLines(area, url) {
    counter += 1;
    var id = "suggest-search-" + counter;
    var box = document.createElement("div");
    box.className = "kern-form-input";
    var label = document.createElement("label");
    label.className = "kern-label";
    label.htmlFor = id;
    label.textContent = area.getAttribute("data-suggest-label") || "";
    var search = document.createElement("input");
    search.type = "search";
    search.id = id;
    search.className = "kern-form-input__input";
    var status = document.createElement("p");
    status.className = "kern-hint";
    status.setAttribute("role", "status");
    box.appendChild(label);
    box.appendChild(search);
    box.appendChild(status);
    (area.closest(".kern-form-input") || area).insertAdjacentElement("afterend", box);
    attach(search, url, function (value) {
      var lines = area.value.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean);
      if (lines.indexOf(value) < 0) {
        lines.push(value);
        area.value = lines.join("\n");
      }
      search.value = "";
      status.textContent = (area.getAttribute("data-suggest-added") || "") + " " + value;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-suggest]"), function (el) {
    var url = el.getAttribute("data-suggest");
    if (el.tagName === "TEXTAREA") { attachLines(el, url); } else { attach(el, url, null); }
  });
}());
