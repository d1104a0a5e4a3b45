/* Read aloud a piece of the page, in French, with the browser's speech synthesis, for
   pupils who do not read yet. A button `[data-read-aloud="<id>"]` reads the element <id>;
   pressed again while it speaks, it stops. The buttons stay hidden where speech is missing. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var synth = window.speechSynthesis;
  var speaking = null;

  function frenchVoice() {
    var voices = synth.getVoices();
    var exact = voices.filter(function (v) { return v.lang === "fr-FR"; });
    if (exact.length) { return exact[0]; }
    var french = voices.filter(function (v) { return v.lang && v.lang.toLowerCase().indexOf("fr") === 0; });
    return french.length ? french[0] : null;
  }

  function textOf(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll("[data-read-aloud], .preau-no-read, form").forEach(function (node) { node.remove(); });
    return (copy.innerText || copy.textContent || "").replace(/\s+/g, " ").trim();
  }

  function reset(button) {
    button.setAttribute("aria-pressed", "false");
    speaking = null;
  }

  function read(button) {
    var target = document.getElementById(button.getAttribute("data-read-aloud"));
    if (!target) { return; }
    if (speaking === button) {
      synth.cancel();
      reset(button);
      return;
    }
    synth.cancel();
    if (speaking) { reset(speaking); }
    var utterance = new window.SpeechSynthesisUtterance(textOf(target));
    utterance.lang = "fr-FR";
    utterance.rate = 0.9;
    var voice = frenchVoice();
    if (voice) { utterance.voice = voice; }
    utterance.onend = function () { reset(button); };
    utterance.onerror = function () { reset(button); };
    speaking = button;
    button.setAttribute("aria-pressed", "true");
    synth.speak(utterance);
  }

  function start() {
    document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () { read(button); });
    });
  }

  // Voices load asynchronously in some browsers; asking once starts the loading.
  synth.getVoices();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
