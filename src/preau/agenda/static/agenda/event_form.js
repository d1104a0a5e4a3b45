// The event form: the hours only matter when the event does not last the whole day.
(function () {
  "use strict";
  const allDay = document.getElementById("id_all_day");
  if (!allDay) return;
  const timeGroups = ["id_start_time", "id_end_time"]
    .map((id) => document.getElementById(id))
    .filter(Boolean)
    .map((input) => input.closest(".fr-input-group"));
  function update() {
    timeGroups.forEach((group) => { group.hidden = allDay.checked; });
  }
  allDay.addEventListener("change", update);
  update();
})();
