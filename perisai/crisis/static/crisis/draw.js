/* Draw a crisis area on the server's map (no library, no tiles): clicks become polygon corners, "Close the
   polygon" writes a GeoJSON Polygon ([lon, lat], closed ring) into the GeoJSON field, which the server then
   checks, previews and saves as before. The frame (data-* on the <svg>) is the one of perisai/crisis/svg.py. */
(function () {
  "use strict";
  var box = document.getElementById("draw");
  var svg = box && box.querySelector("svg");
  var field = box && document.getElementById(box.dataset.target);
  if (!svg || !field || !svg.getScreenCTM) return;
  var f = svg.dataset, lon0 = +f.lon0, lat0 = +f.lat0, kx = +f.kx, k = +f.scale, h = +f.height;
  var NS = "http://www.w3.org/2000/svg", pts = [], closed = false, written = null;
  var status = box.querySelector("[data-status]");
  var shape = document.createElementNS(NS, "polyline"), dots = document.createElementNS(NS, "g");
  shape.setAttribute("stroke", "#0b5cad");
  shape.setAttribute("stroke-width", "2");
  shape.setAttribute("fill", "#0b5cad");
  svg.appendChild(shape);
  svg.appendChild(dots);
  svg.style.cursor = "crosshair";
  box.hidden = false;

  function say(text) { status.textContent = text || ""; }
  function round(v) { return Math.round(v * 1e6) / 1e6; }
  function lonlat(p) { return [round(lon0 + p[0] / (kx * k)), round(lat0 + (h - p[1]) / k)]; }

  function draw() {
    var all = closed ? pts.concat([pts[0]]) : pts;
    shape.setAttribute("points", all.map(function (p) { return p[0] + "," + p[1]; }).join(" "));
    shape.setAttribute("fill-opacity", closed ? "0.25" : "0");
    dots.textContent = "";
    pts.forEach(function (p) {
      var c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", p[0]);
      c.setAttribute("cy", p[1]);
      c.setAttribute("r", "4");
      c.setAttribute("fill", "#0b5cad");
      dots.appendChild(c);
    });
  }

  function unwrite() {
    if (written !== null && field.value === written) field.value = "";
    written = null;
  }

  svg.addEventListener("click", function (e) {
    if (closed) return;
    var m = svg.getScreenCTM();
    if (!m) return;
    var p = svg.createSVGPoint();
    p.x = e.clientX;
    p.y = e.clientY;
    p = p.matrixTransform(m.inverse());
    pts.push([p.x, p.y]);
    say("");
    draw();
  });

  box.addEventListener("click", function (e) {
    var act = e.target.getAttribute && e.target.getAttribute("data-act");
    if (!act) return;
    if (act === "undo") {
      if (closed) { closed = false; unwrite(); } else pts.pop();
    } else if (act === "clear") {
      pts = [];
      closed = false;
      unwrite();
    } else if (act === "close") {
      if (pts.length < 3) { say(box.dataset.need); return; }
      var ring = pts.map(lonlat);
      ring.push(ring[0].slice());
      closed = true;
      written = field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      var radio = document.querySelector("input[name=method][value=geojson]");
      if (radio) radio.checked = true;
      say(box.dataset.done);
    }
    draw();
  });
})();
