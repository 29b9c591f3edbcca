// A record page's "Share" box: without a script it offers the link and an e-mail; with one,
// "Copy link" where the browser can write to the clipboard, and "Share…" where it has a share
// sheet (phones: WhatsApp, Signal, …). Two trials looked for a way to send a practice on.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var said = button.closest(".share").querySelector(".copied");
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        said.hidden = false;
      });
    });
  });
  document.querySelectorAll("[data-share]").forEach(function (button) {
    if (!navigator.share) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.title, url: button.dataset.share }).catch(function () {});
    });
  });
})();
