/* "Copy link" beside each section heading's permalink: copies the full URL of
   that section, so a teacher can paste it into a class page. No network. */
(function () {
  function addButtons() {
    document.querySelectorAll(".md-typeset a.headerlink").forEach(function (permalink) {
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
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(addButtons);
  } else {
    document.addEventListener("DOMContentLoaded", addButtons);
  }
})();
