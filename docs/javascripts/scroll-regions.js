// A region that scrolls sideways must be reachable by keyboard (WCAG 2.1.1): make each one focusable and named.
function markScrollRegions() {
  document.querySelectorAll(".md-typeset pre > code, .md-typeset__scrollwrap").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", el.tagName === "CODE" ? "Code, scrolls sideways" : "Table, scrolls sideways");
    }
  });
}
window.addEventListener("load", markScrollRegions);
window.addEventListener("resize", markScrollRegions);
