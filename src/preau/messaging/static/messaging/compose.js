// The composer, enhanced: the draft saves itself as one types (fetch POST with the CSRF
// header), the recipient search answers as one types, and the answering hours of the chosen
// recipients show up. Without JavaScript the buttons "Enregistrer le brouillon" and
// "Chercher" do the same through the server.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var draftInput = form.querySelector("input[name=brouillon]");
  var timer = null;
  var saving = false;
  var dirty = false;
  var submitting = false;

  function csrfToken() {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    });
  }

  function save() {
    if (!dirty || saving || submitting) return;
    saving = true;
    dirty = false;
    var data = new FormData(form);
    data.delete("files");
    data.delete("chercher");
    post(form.dataset.autosaveUrl, data)
      .then(function (answer) {
        if (answer.ok) {
          draftInput.value = answer.json.brouillon;
          status.textContent = answer.json.message;
        } else {
          status.textContent = answer.json.erreur || "Le brouillon n'a pas pu être enregistré.";
        }
      })
      .catch(function () { status.textContent = "Le brouillon n'a pas pu être enregistré."; })
      .then(function () { saving = false; });
  }

  function changed(event) {
    var name = event.target.name;
    if (name === "chercher" || name === "files") return;
    if (name === "people") toggleHours(event.target);
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 2500);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
    window.clearTimeout(timer);
  });

  // Answering hours of the chosen recipients.
  var hoursBox = document.getElementById("answering-hours");
  var hoursList = document.getElementById("answering-hours-list");
  function refreshHoursBox() {
    hoursBox.hidden = !hoursList.querySelector("li:not([hidden])");
  }
  function toggleHours(checkbox) {
    var item = hoursList.querySelector('[data-hours-for="' + checkbox.value + '"]');
    if (item) item.hidden = !checkbox.checked;
    refreshHoursBox();
  }

  // Recipient search as one types.
  var search = document.getElementById("recipient-search");
  var searchStatus = document.getElementById("recipient-search-status");
  var people = document.getElementById("people-list");
  var searchTimer = null;
  function addPerson(person) {
    if (people.querySelector('[data-person="' + person.id + '"]')) return;
    var group = document.createElement("div");
    group.className = "fr-checkbox-group";
    group.dataset.person = person.id;
    var input = document.createElement("input");
    input.type = "checkbox";
    input.name = "people";
    input.value = person.id;
    input.id = "person-" + person.id;
    var label = document.createElement("label");
    label.className = "fr-label";
    label.htmlFor = input.id;
    label.textContent = person.nom;
    if (person.horaires) {
      var hint = document.createElement("span");
      hint.className = "fr-hint-text";
      hint.textContent = person.horaires;
      label.appendChild(hint);
      var item = document.createElement("li");
      item.dataset.hoursFor = person.id;
      item.hidden = true;
      item.textContent = person.nom + " : " + person.horaires;
      hoursList.appendChild(item);
    }
    group.appendChild(input);
    group.appendChild(label);
    people.appendChild(group);
  }
  function runSearch() {
    var text = search.value.trim();
    if (text.length < 2) return;
    fetch(form.dataset.searchUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (json) {
        json.personnes.forEach(addPerson);
        searchStatus.textContent = json.personnes.length
          ? json.personnes.length + " personne(s) trouvée(s), ajoutée(s) à la liste."
          : "Personne ne correspond à cette recherche.";
      });
  }
  search.addEventListener("input", function () {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 250);
  });
  document.getElementById("recipient-search-button").addEventListener("click", function (event) {
    event.preventDefault();
    runSearch();
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      runSearch();
    }
  });
})();
