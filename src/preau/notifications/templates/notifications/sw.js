{# The service worker of Préau's pushes: a template so that it is served from /notifications/. #}"use strict";
// Shows each push the server sends (see notifications/push.py) and opens its page on a click.

self.addEventListener("push", (event) => {
  let data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (error) {
      data = { body: event.data.text() };
    }
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Préau", {
      body: data.body || "",
      tag: data.tag,
      data: { url: data.url || "/" },
      lang: "fr",
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url, self.location.origin);
  if (url.origin !== self.location.origin) {
    return;
  }
  event.waitUntil(self.clients.openWindow(url.href));
});
