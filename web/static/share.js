// A record page's "Share" box: without a script it offers the link and an e-mail; with one,
// "Copy link" where the browser can write to the clipboard, and "Share…" where it has a share
// sheet (phones: WhatsApp, Signal, …), and "Copy code" for the embed code. Two trials looked for
// a way to send a practice on.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      // the status next to the button: the link's, or the embed code's in its own details
      var said = button.closest("details, .share").querySelector(".copied");
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
