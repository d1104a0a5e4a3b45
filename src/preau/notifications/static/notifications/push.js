"use strict";
// The preferences page: allow or withdraw push notifications on this browser.
// The service worker (/notifications/sw.js) shows them; the server keeps one subscription per browser.
(() => {
  const box = document.getElementById("notifications-push");
  if (!box) {
    return;
  }
  const status = box.querySelector("[data-push-status]");
  const enable = box.querySelector("[data-push-enable]");
  const disable = box.querySelector("[data-push-disable]");
  if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
    box.querySelector("[data-push-unsupported]").classList.remove("fr-hidden");
    return;
  }

  function applicationServerKey(base64url) {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(window.atob(base64), (character) => character.charCodeAt(0));
  }

  async function post(url, body) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
  }

  function show(subscribed) {
    status.textContent = subscribed ? box.dataset.textOn : box.dataset.textOff;
    // DSFR buttons are flex boxes: the `hidden` attribute would not hide them.
    enable.classList.toggle("fr-hidden", subscribed);
    disable.classList.toggle("fr-hidden", !subscribed);
  }

  async function currentSubscription() {
    const registration = await navigator.serviceWorker.getRegistration(box.dataset.scope);
    return registration ? registration.pushManager.getSubscription() : null;
  }

  enable.addEventListener("click", async () => {
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        status.textContent = box.dataset.textDenied;
        return;
      }
      const registration = await navigator.serviceWorker.register(box.dataset.worker, { scope: box.dataset.scope });
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: applicationServerKey(box.dataset.vapidKey),
      });
      await post(box.dataset.subscribe, subscription.toJSON());
      show(true);
    } catch (error) {
      status.textContent = box.dataset.textError;
    }
  });

  disable.addEventListener("click", async () => {
    try {
      const subscription = await currentSubscription();
      if (subscription) {
        await post(box.dataset.unsubscribe, { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      show(false);
    } catch (error) {
      status.textContent = box.dataset.textError;
    }
  });

  currentSubscription().then(
    (subscription) => {
      if (Notification.permission === "denied") {
        status.textContent = box.dataset.textDenied;
        disable.classList.toggle("fr-hidden", !subscription);
        return;
      }
      show(Boolean(subscription));
    },
    () => show(false),
  );
})();
