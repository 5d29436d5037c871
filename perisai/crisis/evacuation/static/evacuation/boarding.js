/* Boarding on a phone at the assembly point, online or not.
 *
 * Each scan (a QR code read with the BarcodeDetector API where the browser has it, or a typed passport or
 * SPLP number) is put in an IndexedDB queue with a fresh UUID and sent when the phone is online; the server
 * answers each entry once (the same UUID twice changes nothing) and says whether it boarded or conflicts.
 * While offline the page says who a scan is from the leg's list it carries (the QR code's short code, or a
 * salted SHA-256 of the document number: the numbers themselves are not on the phone). A service worker
 * keeps this page and its files so that it opens again without a network.
 */
(function () {
  "use strict";
  var root = document.getElementById("boarding");
  if (!root) { return; }
  var legId = root.dataset.leg;
  var syncUrl = root.dataset.syncUrl;
  var T = JSON.parse(document.getElementById("board-strings").textContent);
  var people = JSON.parse(document.getElementById("people-data").textContent);
  var byCode = {};
  var byDoc = {};
  people.forEach(function (p) { byCode[p.code] = p; if (p.doc) { byDoc[p.doc] = p; } });
  var form = document.getElementById("board-form");
  var docInput = form.querySelector("[name=document]");
  var consentInput = form.querySelector("[name=consent]");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var resultsList = document.getElementById("results");
  var queueCount = document.getElementById("queue-count");
  var netStatus = document.getElementById("net-status");
  var syncing = false;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)[sd]/g, function (_m, key) { return String(values[key]); });
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ---- IndexedDB ----
  var dbPromise = new Promise(function (resolve, reject) {
    var request = indexedDB.open("perisai-boarding", 1);
    request.onupgradeneeded = function () {
      var db = request.result;
      db.createObjectStore("queue", { keyPath: "client_uuid" });
      db.createObjectStore("results", { keyPath: "client_uuid" });
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function store(name, mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function all(name) {
    return store(name, "readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).filter(function (r) { return r.leg === legId; });
    });
  }

  // ---- who is it (offline) ----
  function normalise(value) { return value.replace(/[\s\-./]/g, "").toUpperCase(); }
  function sha256(text) {
    if (!(window.crypto && crypto.subtle)) { return Promise.resolve(""); }
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    });
  }
  function lookup(entry) {
    if (entry.token) { return Promise.resolve(byCode[entry.token.split(".")[0]] || null); }
    return sha256(legId + ":" + normalise(entry.document)).then(function (h) { return byDoc[h] || null; });
  }

  // ---- showing ----
  function render() {
    return Promise.all([all("queue"), all("results")]).then(function (lists) {
      var waiting = lists[0], done = lists[1];
      queueCount.textContent = waiting.length ? fmt(T.waiting, { n: waiting.length }) : T.nothing_waiting;
      var rows = waiting.map(function (e) { return { e: e, cls: "wait", text: (e.name || T.unknown_offline) + " · " + T.queued }; });
      done.sort(function (a, b) { return a.scanned_at < b.scanned_at ? 1 : -1; });
      done.slice(0, 30).forEach(function (r) {
        rows.push({ e: r, cls: r.ok ? "" : "bad", text: (r.name || T.unknown) + " · " + r.message });
      });
      resultsList.innerHTML = "";
      rows.forEach(function (row) {
        var li = document.createElement("li");
        li.className = "scan-result " + row.cls;
        li.textContent = row.text;
        resultsList.appendChild(li);
      });
    });
  }

  function setOnline() {
    netStatus.textContent = navigator.onLine ? T.online : T.offline;
    netStatus.classList.toggle("warn", !navigator.onLine);
  }

  // ---- queue and sync ----
  function enqueue(fields) {
    var entry = {
      client_uuid: uuid4(),
      leg: legId,
      step: (form.querySelector("[name=step]:checked") || { value: "board" }).value,
      token: fields.token || "",
      document: fields.document || "",
      consent: consentInput ? consentInput.checked : false,
      scanned_at: new Date().toISOString()
    };
    return lookup(entry).then(function (person) {
      entry.name = person ? person.name : "";
      return store("queue", "readwrite", function (s) { s.put(entry); });
    }).then(render).then(sync);
  }

  function sync() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    return all("queue").then(function (items) {
      if (!items.length) { return null; }
      var payload = items.map(function (e) {
        return { client_uuid: e.client_uuid, step: e.step, token: e.token, document: e.document, consent: e.consent, scanned_at: e.scanned_at };
      });
      return fetch(syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
        body: JSON.stringify({ scans: payload })
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) { throw new Error("signin"); }
        return response.json();
      }).then(function (data) {
        var names = {};
        items.forEach(function (e) { names[e.client_uuid] = e; });
        return store("results", "readwrite", function (s) {
          data.results.forEach(function (r) {
            var sent = names[r.client_uuid] || {};
            s.put({ client_uuid: r.client_uuid, leg: legId, ok: r.ok, outcome: r.outcome, message: r.message,
                    name: r.name || sent.name || "", scanned_at: sent.scanned_at || new Date().toISOString() });
          });
        }).then(function () {
          return store("queue", "readwrite", function (s) {
            data.results.forEach(function (r) { s.delete(r.client_uuid); });
          });
        });
      });
    }).catch(function (err) {
      queueCount.textContent = err && err.message === "signin" ? T.signin_again : queueCount.textContent;
    }).then(function () { syncing = false; return render(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = docInput.value.trim();
    if (!value) { docInput.focus(); return; }
    docInput.value = "";
    enqueue({ document: value }).then(function () { docInput.focus(); });
  });
  document.getElementById("sync-now").addEventListener("click", sync);
  window.addEventListener("online", function () { setOnline(); sync(); });
  window.addEventListener("offline", setOnline);

  // ---- the camera ----
  var scanner = document.getElementById("scanner");
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    scanner.hidden = false;
    var video = document.getElementById("scan-video");
    var start = document.getElementById("scan-start");
    var stop = document.getElementById("scan-stop");
    var stream = null, last = "", lastAt = 0, detector = null;
    var loop = function () {
      if (!stream) { return; }
      detector.detect(video).then(function (codes) {
        codes.forEach(function (code) {
          var value = code.rawValue || "";
          var now = Date.now();
          if (value.charAt(0) === "E" && (value !== last || now - lastAt > 4000)) {
            last = value; lastAt = now;
            enqueue({ token: value });
          }
        });
      }).catch(function () {}).then(function () { if (stream) { setTimeout(loop, 250); } });
    };
    start.addEventListener("click", function () {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false; stop.hidden = false; start.hidden = true;
        return video.play();
      }).then(loop).catch(function () { document.getElementById("no-camera").hidden = false; });
    });
    stop.addEventListener("click", function () {
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      stream = null; video.hidden = true; stop.hidden = true; start.hidden = false;
    });
  } else {
    document.getElementById("no-camera").hidden = false;
  }

  // ---- offline: the service worker keeps this page ----
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: "/evacuation/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      var warm = function () {
        var urls = [location.href];
        Array.prototype.forEach.call(document.querySelectorAll("script[src], link[rel=stylesheet]"), function (el) {
          urls.push(el.src || el.href);
        });
        Promise.all(urls.map(function (u) {
          return fetch(u, { credentials: "same-origin" }).catch(function () {});
        })).then(function () { root.dataset.offlineReady = "1"; });
      };
      if (navigator.serviceWorker.controller) { warm(); }
      else { navigator.serviceWorker.addEventListener("controllerchange", warm, { once: true }); }
    }).catch(function () {});
  }

  window.perisaiBoarding = { scanned: function (token) { return enqueue({ token: token }); }, sync: sync, render: render };
  setOnline();
  render().then(sync);
})();
