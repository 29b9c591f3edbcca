// An embedded card shows whole rows of theme chips: a chip the card's height cuts is hidden
// (every chip of a row that does not fit), again when the frame is resized.
(function () {
  function fit() {
    var tags = document.querySelector(".tags");
    if (!tags) return;
    var chips = tags.children;
    for (var i = 0; i < chips.length; i++) chips[i].hidden = false;
    var bottom = tags.getBoundingClientRect().bottom;
    for (var j = 0; j < chips.length; j++) {
      if (chips[j].getBoundingClientRect().bottom > bottom + 0.5) chips[j].hidden = true;
    }
  }
  fit();
  window.addEventListener("resize", fit);
})();
