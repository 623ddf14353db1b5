/* Search answers text that arrives without a key press.
   Material's search reads the query field on keyup, on focus and when its
   index is ready (its watchSearchQuery), never on "input". Text that arrives
   with no key (pasted from a menu, dictated, autofilled, filled by a test)
   after the index is ready was therefore never searched, and the reader saw
   "Type to start searching". Passing each input event on as the keyup the
   theme listens for runs the query; before the index is ready the theme still
   runs it itself once the index is ready. */
(function () {
  var query = document.querySelector("[data-md-component=search-query]");
  if (!query) return;
  query.addEventListener("input", function () {
    query.dispatchEvent(new KeyboardEvent("keyup"));
  });
})();
