// anjuan workbench: keyboard shortcuts and small conveniences. Plain JavaScript, no build step.
(function () {
  "use strict";

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function follow(key) {
    var link = document.querySelector('a[data-key="' + key + '"]');
    if (link) { window.location.href = link.href; return true; }
    return false;
  }

  function selected() { return document.querySelector("li.finding.sel"); }

  function submit(form) {
    if (!form) return;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (typing(document.activeElement)) {
      if (ev.key === "Escape") document.activeElement.blur();
      return;
    }
    var sel = selected();
    switch (ev.key) {
      case "j": if (follow("j")) ev.preventDefault(); break;
      case "k": if (follow("k")) ev.preventDefault(); break;
      case "n": if (follow("n")) ev.preventDefault(); break;
      case "a": if (sel) { ev.preventDefault(); submit(sel.querySelector("form.confirm")); } break;
      case "u": if (sel) { ev.preventDefault(); submit(sel.querySelector("form.undo")); } break;
      case "d":
        if (sel) {
          var reason = sel.querySelector("form.dismiss input[name=reason]");
          if (reason) { ev.preventDefault(); reason.focus(); }
        }
        break;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // the selected finding and its highlighted quote come into view
    var sel = selected();
    if (sel && sel.scrollIntoView) sel.scrollIntoView({ block: "nearest" });
    var hl = document.querySelector(".hl.first");
    var pane = document.getElementById("viewer");
    function showHighlight() {
      if (hl && pane) {
        var top = hl.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
        pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
      }
    }
    var img = document.getElementById("page-image");
    if (img && !img.complete) { img.addEventListener("load", showHighlight); } else { showHighlight(); }

    Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (s) {
      s.addEventListener("change", function () { submit(s.form); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-busy]"), function (f) {
      f.addEventListener("submit", function () {
        var b = f.querySelector("button");
        if (b) { b.disabled = true; b.textContent = f.getAttribute("data-busy"); }
      });
    });
  });
})();
