/* The waiting page of core.overload: retry by itself, after a delay that doubles at each
   refusal of the same page (at most a minute) and is spread at random, so that the people
   who were refused together do not all come back in the same second. */
(function () {
  "use strict";
  var back = document.getElementById("preau-overload-back");
  if (back && window.history.length > 1) {
    back.hidden = false;
    back.addEventListener("click", function () { window.history.back(); });
  }
  var status = document.getElementById("preau-overload-status");
  if (!status) { return; }
  var base = parseInt(status.getAttribute("data-retry-after"), 10) || 5;
  var key = "preau-overload:" + window.location.pathname + window.location.search;
  var attempt = 0;
  try {
    var saved = JSON.parse(window.sessionStorage.getItem(key) || "null");
    if (saved && Date.now() - saved.at < 5 * 60 * 1000) { attempt = saved.attempt + 1; }
    window.sessionStorage.setItem(key, JSON.stringify({ attempt: attempt, at: Date.now() }));
  } catch (error) {
    /* No session storage (private browsing): every wait is the server's. */
  }
  var seconds = Math.min(60, base * Math.pow(2, Math.min(attempt, 5)));
  seconds = Math.max(1, Math.round(seconds * (0.5 + Math.random())));
  status.textContent = status.getAttribute("data-waiting").replace("%s", String(seconds));
  window.setTimeout(function () {
    status.textContent = status.getAttribute("data-retrying");
    window.location.reload();
  }, seconds * 1000);
})();
