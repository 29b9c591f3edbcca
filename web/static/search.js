// The search page's Filters switch on phones. A filter chosen in the open panel links to this
// page's #filters, which opens the panel without a script (site.css); with one, the switch is
// ticked instead, so it says what the screen shows (an accessibility audit heard "not checked"
// over an open panel, WCAG 2.1 SC 4.1.2), and it alone opens and closes the panel.
(function () {
  var panel = document.getElementById("filters");
  var toggle = document.getElementById("filters-toggle");
  if (!panel || !toggle) return;
  panel.classList.add("scripted");
  if (location.hash === "#filters") toggle.checked = true;
  // "Show N results" leads to the results and closes the panel, as leaving #filters does
  var show = panel.querySelector(".show-results");
  if (show) show.addEventListener("click", function () { toggle.checked = false; });
})();
