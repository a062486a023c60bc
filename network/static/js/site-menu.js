/* Städtenetz header: progressive enhancement only — every page works without this file.
   Phones: the "Menü" link (it targets the header, :target opens it) becomes a button with aria-expanded.
   The navigation's groups (<details>): one open at a time, Escape or a click elsewhere closes them. */
(function () {
  "use strict";
  var header = document.getElementById("site-header");
  if (!header) { return; }

  var openLink = header.querySelector("[data-menu-open]");
  var closeLink = header.querySelector("[data-menu-close]");
  if (openLink && closeLink) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "site-menu-toggle site-menu-toggle--button kern-btn kern-btn--secondary kern-btn--small";
    button.setAttribute("aria-controls", "site-header-tools site-nav");
    button.innerHTML = openLink.innerHTML;
    var startOpen = window.location.hash === "#site-header";
    if (startOpen && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    var setOpen = function (open) {
      header.classList.toggle("is-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    };
    setOpen(startOpen);
    button.addEventListener("click", function () { setOpen(!header.classList.contains("is-open")); });
    openLink.replaceWith(button);
    closeLink.remove();
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("is-open") && !header.querySelector("details[open]")) {
        setOpen(false);
        button.focus();
      }
    });
  }

  var groups = Array.prototype.slice.call(header.querySelectorAll("details.site-nav__group"));
  var closeGroups = function (except) {
    groups.forEach(function (g) { if (g !== except) { g.open = false; } });
  };
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () { if (group.open) { closeGroups(group); } });
    group.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && group.open) {
        event.stopPropagation();
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
  });
  // on wide screens a group is a drop-down over the page: leaving it (click or focus elsewhere) closes it;
  // inside the phone menu the groups unfold in place and stay as the user left them
  var wide = window.matchMedia("(min-width: 48.0625rem)");
  var closeOutside = function (event) {
    if (!wide.matches) { return; }
    groups.forEach(function (g) { if (g.open && !g.contains(event.target)) { g.open = false; } });
  };
  document.addEventListener("click", closeOutside);
  document.addEventListener("focusin", closeOutside);
}());
