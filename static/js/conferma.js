/* Confirmation before an irreversible action.
 *
 * A form with data-conferma="what will happen" opens a dialog with that text and two
 * buttons, «Conferma» (or data-conferma-ok) and «Annulla», before it is sent: Annulla
 * sends nothing, Conferma sends the form as it was (same fields, same button). A static
 * file, no inline script: the pages work under a Content-Security-Policy. Without
 * JavaScript the forms are sent directly, as before.
 */
(function () {
  "use strict";

  function crea(form, invia) {
    var dialogo = document.createElement("dialog");
    dialogo.className = "conferma-dialogo border rounded shadow p-4";
    dialogo.setAttribute("aria-labelledby", "conferma-titolo");
    dialogo.setAttribute("aria-describedby", "conferma-testo");
    var titolo = document.createElement("h2");
    titolo.id = "conferma-titolo";
    titolo.className = "h5";
    titolo.textContent = form.dataset.confermaTitolo || "Confermi?";
    var testo = document.createElement("p");
    testo.id = "conferma-testo";
    testo.textContent = form.dataset.conferma;
    var pulsanti = document.createElement("div");
    pulsanti.className = "d-flex gap-2 justify-content-end";
    var annulla = document.createElement("button");
    annulla.type = "button";
    annulla.className = "btn btn-outline-secondary";
    annulla.textContent = "Annulla";
    var conferma = document.createElement("button");
    conferma.type = "button";
    conferma.className = "btn btn-primary";
    conferma.textContent = form.dataset.confermaOk || "Conferma";
    pulsanti.append(annulla, conferma);
    dialogo.append(titolo, testo, pulsanti);
    annulla.addEventListener("click", function () {
      dialogo.close();
    });
    conferma.addEventListener("click", function () {
      dialogo.close();
      invia();
    });
    dialogo.addEventListener("close", function () {
      dialogo.remove();
    });
    document.body.appendChild(dialogo);
    dialogo.showModal();
    annulla.focus();
  }

  document.addEventListener("submit", function (evento) {
    var form = evento.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.conferma) {
      return;
    }
    if (form.dataset.confermato === "1") {
      delete form.dataset.confermato;
      return;
    }
    evento.preventDefault();
    var pulsante = evento.submitter || null;
    crea(form, function () {
      form.dataset.confermato = "1";
      if (form.requestSubmit) {
        form.requestSubmit(pulsante);
      } else {
        form.submit();
      }
    });
  });
})();
