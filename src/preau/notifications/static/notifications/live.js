"use strict";
// Live updates of the timeline (loaded on every page of a signed-in person): when a notification
// arrives, a small DSFR notice says so and the unread badges ({% unread_badge %}) count it.
// The server sends the words (French, translated); nothing here is shown to the person as is.
(() => {
  if (!("WebSocket" in window)) {
    return;
  }
  const FIRST_DELAY = 1000;
  const LONGEST_DELAY = 60000;
  // Ten minutes without any answer: the session is over or the server is away for long.
  const GIVE_UP_AFTER = 12;
  let delay = FIRST_DELAY;
  let failures = 0;

  function updateBadges(unread) {
    document.querySelectorAll("[data-notifications-unread]").forEach((badge) => {
      const count = badge.querySelector("[data-notifications-count]");
      if (count) {
        count.textContent = String(unread);
      }
      // DSFR badges are flex boxes: the `hidden` attribute would not hide them.
      badge.classList.toggle("fr-hidden", !unread);
    });
  }

  function liveRegion() {
    let region = document.getElementById("notifications-live");
    if (!region) {
      region = document.createElement("div");
      region.id = "notifications-live";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      (document.getElementById("contenu") || document.body).prepend(region);
    }
    return region;
  }

  function showNotice(message) {
    const notice = document.createElement("div");
    notice.className = "fr-notice fr-notice--info fr-mb-3w";
    const container = document.createElement("div");
    container.className = "fr-container";
    const body = document.createElement("div");
    body.className = "fr-notice__body";
    const text = document.createElement("p");
    const title = document.createElement("span");
    title.className = "fr-notice__title";
    title.textContent = message.label;
    const link = document.createElement("a");
    link.className = "fr-notice__link";
    link.href = message.url;
    link.textContent = message.title;
    text.append(title, " ", link);
    const close = document.createElement("button");
    close.type = "button";
    close.className = "fr-btn--close fr-btn";
    close.title = message.close_label;
    close.textContent = message.close_label;
    close.addEventListener("click", () => notice.remove());
    body.append(text, close);
    container.append(body);
    notice.append(container);
    liveRegion().replaceChildren(notice);
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}/ws/notifications/`);
    socket.addEventListener("open", () => {
      delay = FIRST_DELAY;
      failures = 0;
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type === "timeline.entry") {
        showNotice(message);
        updateBadges(message.unread);
      }
    });
    socket.addEventListener("close", () => {
      failures += 1;
      if (failures >= GIVE_UP_AFTER) {
        return;
      }
      // Back-off with a little randomness, so that a restarted server is not met by everyone at once.
      window.setTimeout(connect, delay + Math.random() * FIRST_DELAY);
      delay = Math.min(delay * 2, LONGEST_DELAY);
    });
  }

  connect();
})();
