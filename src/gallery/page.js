"use strict";
/* Copy buttons: the clipboard API where the page is a secure context (localhost, https),
   otherwise a selected textarea, which also works from a file opened on disk. */
function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const code = document.getElementById(button.dataset.copy);
  copyText(code.textContent).then(
    () => { button.textContent = "Copied"; button.classList.add("done"); },
    () => { button.textContent = "Select and copy"; }
  );
  clearTimeout(button.resetTimer);
  button.resetTimer = setTimeout(() => {
    button.textContent = "Copy";
    button.classList.remove("done");
  }, 1600);
});
/* Readers who ask for less motion get the poster and the controls, not a loop. */
if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
  for (const video of document.querySelectorAll("video")) {
    video.removeAttribute("autoplay");
    video.pause();
  }
}
/* Opened with `?watch` from this machine (the address `benchanim render --watch --serve PORT`
   prints, or any local web server), the page reloads itself when manifest.json changes, that is
   after each render. Other pages do not poll: a hosted gallery has nothing to wait for, and
   browsers refuse the requests of a page opened from disk. */
const watched = new URLSearchParams(location.search).has("watch");
if (watched && ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname)) {
  let seen = null;
  const poll = async () => {
    if (!document.hidden) {
      try {
        const answer = await fetch("manifest.json", { cache: "no-store" });
        if (answer.ok) {
          const version = (answer.headers.get("ETag") || answer.headers.get("Last-Modified") || "")
            + await answer.text();
          if (seen !== null && version !== seen) {
            location.reload();
            return;
          }
          seen = version;
        }
      } catch (_) {
        /* The server is gone for a moment (a restart): ask again later. */
      }
    }
    setTimeout(poll, 1000);
  };
  poll();
}
