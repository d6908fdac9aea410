// marsad dashboard: hover/focus details for highlighted marks. Loaded as a file (the CSP forbids inline
// script); reads only data-* attributes and writes them with textContent, never as HTML.
(() => {
  "use strict";
  const tip = document.getElementById("tip");
  if (!tip) return;
  const show = (mark, x, y) => {
    const parts = [];
    for (let el = mark; el && el.classList && el.classList.contains("hl"); el = el.parentElement) {
      if (el.dataset.tip) parts.push(el.dataset.tip);
    }
    if (!parts.length) return;
    tip.textContent = "";
    parts.forEach((p) => { const line = document.createElement("div"); line.textContent = p; tip.appendChild(line); });
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x - w / 2, window.innerWidth - w - 4)) + "px";
    tip.style.top = (y + 18 + h > window.innerHeight ? y - h - 12 : y + 18) + "px";
  };
  const hide = () => { tip.hidden = true; };
  document.addEventListener("mouseover", (ev) => {
    const mark = ev.target.closest && ev.target.closest("mark.hl");
    if (mark) show(mark, ev.clientX, ev.clientY); else hide();
  });
  document.addEventListener("focusin", (ev) => {
    const mark = ev.target.closest && ev.target.closest("mark.hl");
    if (!mark) return hide();
    const r = mark.getBoundingClientRect();
    show(mark, r.left + r.width / 2, r.bottom - 10);
  });
  document.addEventListener("focusout", hide);
  // Native title tooltips would duplicate the panel once the script runs.
  document.querySelectorAll("mark.hl[title]").forEach((m) => m.removeAttribute("title"));
})();
