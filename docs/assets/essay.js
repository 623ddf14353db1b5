/* The essay's own script; it makes no network request. "Copy link" beside each
   section heading copies the full URL of that section, so a teacher can paste it into a class page. */
(function () {
  function addButtons() {
    document.querySelectorAll(".md-typeset :is(h2, h3, h4) > a.headerlink").forEach(function (permalink) {
      if (permalink.nextElementSibling && permalink.nextElementSibling.classList.contains("essay-copy-link")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "essay-copy-link";
      button.textContent = "Copy link";
      button.setAttribute("aria-label", "Copy a link to this section");
      button.addEventListener("click", function () {
        var url = new URL(permalink.getAttribute("href"), window.location.href).href;
        var done = function () {
          button.textContent = "Copied";
          window.setTimeout(function () { button.textContent = "Copy link"; }, 1500);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url).then(done, function () { window.prompt("Copy this link:", url); });
        } else {
          window.prompt("Copy this link:", url);
        }
      });
      permalink.insertAdjacentElement("afterend", button);
    });
  }
  function copyText(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      window.setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt("Copy this:", text); });
    } else {
      window.prompt("Copy this:", text);
    }
  }

  /* "Cite this page": each style has its own labelled copy button. */
  function addCiteCopy() {
    document.querySelectorAll("button.essay-copy").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (target) copyText(target.textContent, button);
      });
    });
  }

  /* The theme's search overlay is a dialog; give it the accessible name it lacks. */
  function nameSearchDialog() {
    document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
      if (!dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the essay");
    });
  }

  function enhance() {
    addButtons();
    addCiteCopy();
    nameSearchDialog();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", enhance);
  }
})();
