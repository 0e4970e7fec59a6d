/* The pages' own script, a static file: the Content-Security-Policy allows no inline
   script nor on* attribute (peg/settings.py, CONTENT_SECURITY_POLICY).
   - the theme's fonts, from the path given by the <script> tag (the theme's base
     template did this with two inline scripts);
   - buttons with data-stampa print the page. */
(function () {
  "use strict";
  var font = document.currentScript && document.currentScript.dataset.font;
  if (font) {
    window.__PUBLIC_PATH__ = font;
    if (window.bootstrap && typeof window.bootstrap.loadFonts === "function") {
      window.bootstrap.loadFonts(font);
    }
  }
  document.addEventListener("click", function (evento) {
    var bottone = evento.target.closest && evento.target.closest("[data-stampa]");
    if (bottone) {
      evento.preventDefault();
      window.print();
    }
  });
})();
