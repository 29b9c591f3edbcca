// A record page's "Share" box: without a script it offers the link and an e-mail; with one,
// "Copy link" where the browser can write to the clipboard, and "Share…" where it has a share
// sheet (phones: WhatsApp, Signal, …), and "Copy code" for the embed code. Two trials looked for
// a way to send a practice on.
(function () {
  // each status is an empty live region from the start and gets its words on each copy, so a
  // screen reader says them every time (WAI-ARIA live regions announce changes of text; an
  // audit heard nothing on a second copy when the words were only unhidden)
  document.querySelectorAll(".copied").forEach(function (said) {
    said.dataset.words = said.textContent;
    said.textContent = "";
    said.hidden = false;
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      // the status next to the button: the link's, or the embed code's in its own details
      var said = button.closest("details, .share").querySelector(".copied");
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        said.textContent = "";
        setTimeout(function () { said.textContent = said.dataset.words; }, 100);
      });
    });
  });
  document.querySelectorAll("[data-share]").forEach(function (button) {
    if (!navigator.share) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      // a share sheet that fails (a browser that has the call but no sheet: a phone trial's
      // tap did nothing) copies the link instead and says so; a sheet the person closed
      // (AbortError) is left closed
      navigator.share({ title: button.dataset.title, url: button.dataset.share }).catch(function (error) {
        if ((error && error.name === "AbortError") || !navigator.clipboard) return;
        var said = button.closest("details, .share").querySelector(".copied");
        navigator.clipboard.writeText(button.dataset.share).then(function () {
          said.textContent = "";
          setTimeout(function () { said.textContent = said.dataset.words; }, 100);
        });
      });
    });
  });
})();
