// Security keys (WebAuthn) on the pages "Double authentification" and "Code de connexion":
// the page asks Préau for a challenge, the browser asks the key, Préau checks the answer.
// Binary fields travel as base64url, the JSON shape py_webauthn reads and writes.
(function () {
  "use strict";

  function toBytes(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  }

  function toText(buffer) {
    let binary = "";
    new Uint8Array(buffer).forEach((byte) => { binary += String.fromCharCode(byte); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBytes(options) {
    options.challenge = toBytes(options.challenge);
    if (options.user) options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach((item) => { item.id = toBytes(item.id); });
    (options.allowCredentials || []).forEach((item) => { item.id = toBytes(item.id); });
    return options;
  }

  function asJSON(credential) {
    const response = credential.response;
    const json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) },
    };
    if (credential.authenticatorAttachment) json.authenticatorAttachment = credential.authenticatorAttachment;
    if (response.attestationObject) {
      json.response.attestationObject = toText(response.attestationObject);
      if (response.getTransports) json.response.transports = response.getTransports();
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      json.response.userHandle = response.userHandle ? toText(response.userHandle) : null;
    }
    return json;
  }

  async function post(form, url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value,
      },
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try { data = await response.json(); } catch (error) { /* an error page: the sentence below */ }
    if (!response.ok) throw new Error(data.error || form.dataset.failed);
    return data;
  }

  document.querySelectorAll("form[data-security-key]").forEach((form) => {
    const message = form.querySelector("[data-security-key-message]");
    if (!window.PublicKeyCredential || !navigator.credentials) {
      form.hidden = true;
      const unsupported = document.querySelector("[data-security-key-unsupported]");
      if (unsupported) unsupported.hidden = false;
      return;
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      message.hidden = true;
      button.disabled = true;
      try {
        const options = withBytes(await post(form, form.dataset.optionsUrl));
        let body;
        if (form.dataset.securityKey === "register") {
          const credential = await navigator.credentials.create({ publicKey: options });
          body = { credential: asJSON(credential), name: form.elements.namedItem("name").value };
        } else {
          body = { credential: asJSON(await navigator.credentials.get({ publicKey: options })) };
        }
        const done = await post(form, form.dataset.submitUrl, body);
        window.location.assign(done.redirect);
      } catch (error) {
        // The browser's own errors (cancelled, timed out, unknown key) get one plain sentence.
        message.textContent = error instanceof DOMException ? form.dataset.cancelled : error.message;
        message.hidden = false;
        button.disabled = false;
      }
    });
  });
})();
