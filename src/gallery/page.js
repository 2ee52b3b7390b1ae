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
