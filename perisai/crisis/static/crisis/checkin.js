/* The check-in link's "Share my location" button (progressive enhancement: the page works without it, and
   she can write the place in her message). Shown only where the phone can locate itself; the location is
   asked for only when she presses the button, and fills the form's hidden lat/lon fields. */
(function () {
  "use strict";
  var box = document.getElementById("share-location");
  if (!box || !navigator.geolocation) return;
  var button = box.querySelector("button");
  var note = box.querySelector("[role=status]");
  box.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    note.textContent = button.getAttribute("data-wait");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("id_lat").value = position.coords.latitude.toFixed(5);
        document.getElementById("id_lon").value = position.coords.longitude.toFixed(5);
        note.textContent = button.getAttribute("data-done");
        button.disabled = false;
      },
      function () {
        note.textContent = button.getAttribute("data-fail");
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  });
})();
