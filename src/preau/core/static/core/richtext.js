// Turns every <textarea data-richtext> into a small accessible editor: bold, italic, lists,
// link. The textarea stays in the form (hidden) and receives the HTML on every change; the
// server cleans it with its allow-list whatever the browser sends.
(function () {
  "use strict";
  var TOOLS = [
    ["bold", "Gras", "fr-icon-bold"],
    ["italic", "Italique", "fr-icon-italic"],
    ["insertUnorderedList", "Liste à puces", "fr-icon-list-unordered"],
    ["insertOrderedList", "Liste numérotée", "fr-icon-list-ordered"],
    ["createLink", "Lien", "fr-icon-link"],
  ];

  function enhance(textarea) {
    var toolbar = document.createElement("div");
    toolbar.className = "preau-richtext__toolbar fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Mise en forme");
    var editor = document.createElement("div");
    editor.className = "preau-richtext__editor fr-input";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = label.id || textarea.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { editor.focus(); });
    }
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) editor.setAttribute(name, textarea.getAttribute(name));
    });
    var value = textarea.value.trim();
    if (value && value.charAt(0) !== "<") {
      editor.textContent = value;
    } else {
      editor.innerHTML = value;  // already cleaned by the server when it was saved
    }
    TOOLS.forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fr-btn fr-btn--tertiary fr-btn--sm " + tool[2];
      button.title = tool[1];
      button.textContent = tool[1];
      button.addEventListener("click", function () {
        editor.focus();
        if (tool[0] === "createLink") {
          var url = window.prompt("Adresse du lien (https://…)");
          if (url && /^(https?:\/\/|mailto:)/i.test(url)) document.execCommand("createLink", false, url);
        } else {
          document.execCommand(tool[0], false, null);
        }
        sync();
      });
      toolbar.appendChild(button);
    });
    function sync() {
      textarea.value = editor.innerHTML;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    editor.addEventListener("input", sync);
    textarea.required = false;  // the server says what is missing, in French
    textarea.hidden = true;
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(editor, textarea);
  }

  function start() {
    document.querySelectorAll("textarea[data-richtext]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
