/* The pages' own script, a static file: the Content-Security-Policy allows no inline
   script nor on* attribute (peg/settings.py, CONTENT_SECURITY_POLICY).
   - the theme's fonts, from the path given by the <script> tag (the theme's base
     template did this with two inline scripts);
   - buttons with data-stampa print the page;
   - a checkbox with data-seleziona-tutte="name" ticks or clears every checkbox of that
     name in its form (the OIV's queue: validate all the filtered schede at once). */
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
  document.addEventListener("change", function (evento) {
    var tutte = evento.target.closest && evento.target.closest("[data-seleziona-tutte]");
    if (!tutte || !tutte.form) {
      return;
    }
    var nome = tutte.dataset.selezionaTutte;
    Array.prototype.forEach.call(tutte.form.elements, function (campo) {
      if (campo.type === "checkbox" && campo.name === nome) {
        campo.checked = tutte.checked;
      }
    });
  });
})();
