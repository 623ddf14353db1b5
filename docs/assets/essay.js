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

  /* Note tooltips: hovering over or focusing a note marker shows its note
     (the short citations, each linking to the Sources page) beside it. On a
     touch screen the first tap on a marker shows the note and a second tap
     goes to it; a click with a mouse goes to the note, as any link does. The
     tooltip is built when a marker is first pointed at, not for every marker
     as the page loads: the theme's own footnote tooltips did that for every
     marker of a chapter and cost a phone about a third of a second of
     blocked script. */
  var tip = null;
  var tipFor = null;
  var tapped = null;
  var pointerType = "";
  var hideTimer = 0;

  function noteMarker(target) {
    return target && target.closest ? target.closest("a.footnote-ref") : null;
  }

  function buildTip() {
    tip = document.createElement("div");
    tip.id = "essay-note-tip";
    tip.className = "essay-note-tip md-typeset";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.addEventListener("mouseenter", function () { window.clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", hideSoon);
    document.body.appendChild(tip);
  }

  function showTip(marker) {
    var note = document.getElementById(decodeURIComponent(marker.hash.slice(1)));
    if (!note) return;
    window.clearTimeout(hideTimer);
    if (!tip) buildTip();
    if (tipFor && tipFor !== marker) tipFor.removeAttribute("aria-describedby");
    var copy = note.cloneNode(true);
    copy.querySelectorAll(".footnote-backref").forEach(function (link) { link.remove(); });
    copy.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
    tip.replaceChildren.apply(tip, Array.prototype.slice.call(copy.childNodes));
    tip.hidden = false;
    var box = marker.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.min(Math.max(8, box.left + box.width / 2 - width / 2), document.documentElement.clientWidth - width - 8);
    var below = box.bottom + 8;
    var top = below + tip.offsetHeight > window.innerHeight && box.top - tip.offsetHeight - 8 > 0
      ? box.top - tip.offsetHeight - 8 : below;
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
    marker.setAttribute("aria-describedby", tip.id);
    tipFor = marker;
  }

  function hideTip() {
    if (tip) tip.hidden = true;
    if (tipFor) tipFor.removeAttribute("aria-describedby");
    tipFor = null;
  }

  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hideTip, 200);
  }

  document.addEventListener("mouseover", function (event) {
    var marker = noteMarker(event.target);
    if (marker) showTip(marker);
  });
  document.addEventListener("mouseout", function (event) {
    if (noteMarker(event.target)) hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var marker = noteMarker(event.target);
    if (marker) showTip(marker); else if (tipFor) hideTip();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && tipFor) hideTip();
  });
  document.addEventListener("pointerdown", function (event) { pointerType = event.pointerType; }, true);
  document.addEventListener("click", function (event) {
    var marker = noteMarker(event.target);
    if (marker && pointerType === "touch" && tapped !== marker) {
      event.preventDefault();
      tapped = marker;
      showTip(marker);
      return;
    }
    tapped = null;
    if (marker || (tipFor && !(tip && tip.contains(event.target)))) hideTip();
  });

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
