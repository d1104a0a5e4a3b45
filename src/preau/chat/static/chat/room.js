/* A room page, live: new messages, removals and the composer go through the room's WebSocket
   (preau/chat/consumers.py). Without WebSocket the page works alone: the composer is a form,
   older messages are links. Messages are put in the page as text, never as HTML. */
(function () {
  "use strict";

  var root = document.getElementById("chat-room");
  if (!root || !("WebSocket" in window)) return;
  var list = document.getElementById("chat-messages");
  var template = document.getElementById("chat-message-template");
  var form = document.getElementById("chat-composer");
  var fields = document.getElementById("chat-composer-fields");
  var textarea = form ? form.querySelector("textarea") : null;
  var statusLine = document.getElementById("chat-status");
  var errorLine = document.getElementById("chat-error");
  var refusalBox = document.getElementById("chat-refusal");
  var me = root.dataset.person;
  var showingNewest = root.dataset.newest === "oui";
  var socket = null;
  var retries = 0;
  var stopped = false;
  var pending = "";

  function setStatus(text) {
    if (statusLine) statusLine.textContent = text;
  }

  function showError(text) {
    if (!errorLine) return;
    errorLine.textContent = text;
    errorLine.classList.toggle("fr-hidden", !text);
  }

  function setRefusal(text) {
    if (!refusalBox || !fields) return;
    refusalBox.querySelector("p").textContent = text || "";
    refusalBox.classList.toggle("fr-hidden", !text);
    fields.disabled = Boolean(text);
  }

  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(data));
  }

  function render(message) {
    if (!showingNewest || !list || !template || document.getElementById("message-" + message.id)) return;
    var empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    var item = document.importNode(template.content.firstElementChild, true);
    item.id = "message-" + message.id;
    item.dataset.message = message.id;
    item.querySelector(".chat-message__author").textContent = message.auteur;
    var time = item.querySelector(".chat-message__time");
    time.dateTime = message.envoye_le;
    time.textContent = message.heure;
    item.querySelector(".chat-message__text").textContent = message.texte;
    var remove = item.querySelector("form");
    if (remove) {
      remove.setAttribute("action", remove.getAttribute("action").replace("/messages/0/", "/messages/" + message.id + "/"));
    }
    list.appendChild(item);
    var mine = String(message.auteur_id) === me;
    if (mine) {
      pending = "";
      item.scrollIntoView({ block: "nearest" });
    }
    if (mine || document.visibilityState === "visible") send({ type: "read", message: message.id });
  }

  function markRemoved(id, label) {
    var item = document.getElementById("message-" + id);
    if (!item) return;
    item.classList.add("chat-message--removed");
    item.querySelector(".chat-message__text").textContent = label;
    var remove = item.querySelector(".chat-message__remove");
    if (remove) remove.remove();
  }

  function receive(event) {
    var data = JSON.parse(event.data);
    if (data.type === "message") render(data.message);
    else if (data.type === "removed") markRemoved(data.message_id, data.label);
    else if (data.type === "state") setRefusal(data.refus);
    else if (data.type === "error") {
      showError(data.message);
      if (textarea && !textarea.value && pending) textarea.value = pending;
    } else if (data.type === "closed") {
      stopped = true;
      setRefusal(data.message);
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.websocket);
    socket.addEventListener("open", function () {
      retries = 0;
      setStatus(root.dataset.textLive);
    });
    socket.addEventListener("message", receive);
    socket.addEventListener("close", function (event) {
      socket = null;
      // 4401, 4403: not signed in, or not allowed in at this moment: the page says why.
      if (stopped || event.code === 4401 || event.code === 4403) return;
      if (retries > 0) setStatus(root.dataset.textOffline);
      if (retries < 8) window.setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, retries++)));
    });
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      // Without a live socket, the form posts as usual.
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      event.preventDefault();
      var text = textarea.value.trim();
      if (!text) {
        showError(root.dataset.textEmpty);
        return;
      }
      showError("");
      pending = text;
      send({ type: "post", text: text });
      textarea.value = "";
      textarea.focus();
    });
    textarea.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter goes to the line, as in every chat.
      if (event.key === "Enter" && !event.shiftKey && socket && socket.readyState === WebSocket.OPEN) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  connect();
})();
