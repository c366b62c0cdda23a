// A citation opens its source in the ledger; on a touch screen the first tap shows the
// cited passage and the second opens the source. Escape closes a passage.
(function () {
  "use strict";
  var armed = null;
  var touch = window.matchMedia && window.matchMedia("(hover: none)").matches;
  function jump(target) {
    var hits = document.querySelectorAll(".hit");
    for (var i = 0; i < hits.length; i++) { hits[i].classList.remove("hit"); }
    target.classList.add("hit");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
    if (!link) { armed = null; return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    if (touch && link.parentNode.classList.contains("cite") && armed !== link) {
      armed = link;
      link.focus();
      return;
    }
    armed = null;
    jump(target);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.activeElement) { document.activeElement.blur(); }
  });
})();
