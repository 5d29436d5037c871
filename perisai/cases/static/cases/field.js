/* Perisai field intake, offline first. Each record gets a UUID on the device and waits in IndexedDB until
   the server answers; the server opens each UUID once and reports conflicts instead of overwriting.
   Without JavaScript the same form posts normally. No framework; ~200 lines. */
(function () {
  "use strict";
  var form = document.getElementById("field-form");
  if (!form || !window.indexedDB || !window.fetch || !window.Promise) return;
  var list = document.getElementById("field-records");
  var status = document.getElementById("field-status");
  var labels = document.getElementById("field-labels").dataset;
  var syncUrl = form.dataset.syncUrl;
  var editing = null;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("perisai-field", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("records", { keyPath: "client_uuid" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("records", mode);
        var result = work(tx.objectStore("records"));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function all() { return store("readonly", function (s) { return s.getAll(); }); }
  function put(record) { return store("readwrite", function (s) { return s.put(record); }); }
  function remove(id) { return store("readwrite", function (s) { return s.delete(id); }); }

  function read() {
    var data = new FormData(form);
    var values = {};
    ["subject_name", "contact", "sex", "birth_year", "region_code", "case_type", "urgency", "summary", "given_by", "giver_name"].forEach(function (k) {
      values[k] = (data.get(k) || "").toString();
    });
    values.vulnerabilities = data.getAll("vulnerabilities");
    values.consents = data.getAll("consents");
    values.recorded_at = new Date().toISOString();
    return values;
  }

  function fill(values) {
    Object.keys(values).forEach(function (k) {
      var inputs = form.querySelectorAll('[name="' + k + '"]');
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.type === "checkbox") input.checked = (values[k] || []).indexOf(input.value) >= 0;
        else if (input.type === "radio") input.checked = input.value === values[k];
        else input.value = values[k] == null ? "" : values[k];
      });
    });
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  function say(text) { status.textContent = text; }

  function render() {
    return all().then(function (records) {
      records.sort(function (a, b) { return b.updated - a.updated; });
      list.textContent = "";
      var waiting = 0;
      records.forEach(function (r) {
        if (r.state === "waiting") waiting += 1;
        var item = document.createElement("li");
        item.dataset.state = r.state;
        var title = document.createElement("strong");
        title.textContent = r.code || labels.newRecord;
        item.appendChild(title);
        item.appendChild(document.createTextNode(" · " + (labels[r.state] || r.state) + " "));
        if (r.state === "conflict" && r.conflicts) {
          var detail = document.createElement("small");
          detail.textContent = labels.conflictFields + " " + r.conflicts.map(function (c) { return c.field; }).join(", ");
          item.appendChild(detail);
        }
        if (r.errors) {
          var errors = document.createElement("small");
          errors.className = "warn";
          errors.textContent = Object.keys(r.errors).map(function (k) { return r.errors[k].join(" "); }).join(" ");
          item.appendChild(errors);
        }
        if (r.url) {
          var link = document.createElement("a");
          link.href = r.url;
          link.textContent = labels.open;
          item.appendChild(link);
          item.appendChild(document.createTextNode(" "));
        }
        var edit = document.createElement("button");
        edit.type = "button";
        edit.className = "secondary";
        edit.textContent = labels.edit;
        edit.addEventListener("click", function () {
          editing = r.client_uuid;
          fill(r.values);
          form.querySelector("[name=client_uuid]").value = r.client_uuid;
          form.scrollIntoView();
        });
        item.appendChild(edit);
        if (r.state === "synced") {
          var forget = document.createElement("button");
          forget.type = "button";
          forget.className = "secondary";
          forget.textContent = labels.forget;
          forget.addEventListener("click", function () { remove(r.client_uuid).then(render); });
          item.appendChild(forget);
        }
        list.appendChild(item);
      });
      say(waiting ? labels.waitingCount + " " + waiting + "." : navigator.onLine ? labels.allSent : labels.offline);
    });
  }

  var syncing = false;
  function sync() {
    if (syncing || !navigator.onLine) return render();
    syncing = true;
    return all()
      .then(function (records) {
        var due = records.filter(function (r) { return r.state === "waiting"; });
        if (!due.length) return null;
        return fetch(syncUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
          body: JSON.stringify({ records: due.map(function (r) { return { client_uuid: r.client_uuid, base: r.base || null, values: r.values }; }) })
        }).then(function (response) {
          if (response.status === 401 || response.status === 403) { say(labels.signIn); throw new Error("auth"); }
          if (!response.ok) throw new Error("http " + response.status);
          return response.json();
        }).then(function (data) {
          return Promise.all(data.results.map(function (answer) {
            var record = due.filter(function (r) { return r.client_uuid === answer.client_uuid; })[0];
            if (!record) return null;
            record.errors = answer.errors || null;
            record.conflicts = answer.conflicts || null;
            if (answer.outcome === "invalid") record.state = "invalid";
            else if (answer.outcome === "not_found") record.state = "gone";
            else {
              record.state = answer.outcome === "conflict" ? "conflict" : "synced";
              record.code = answer.code;
              record.url = answer.url;
              record.base = answer.server;
              Object.keys(answer.server).forEach(function (k) { record.values[k] = answer.server[k] == null ? "" : answer.server[k]; });
            }
            return put(record);
          }));
        });
      })
      .catch(function () { return null; })
      .then(function () { syncing = false; return render(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!form.reportValidity()) return;
    var id = form.querySelector("[name=client_uuid]").value || newId();
    all().then(function (records) {
      var previous = records.filter(function (r) { return r.client_uuid === id; })[0] || {};
      return put({
        client_uuid: id,
        values: read(),
        base: previous.base || null,
        code: previous.code || "",
        url: previous.url || "",
        state: "waiting",
        updated: Date.now()
      });
    }).then(function () {
      editing = null;
      form.reset();
      form.querySelector("[name=client_uuid]").value = newId();
      say(labels.saved);
      return sync();
    });
  });

  form.querySelector("[name=client_uuid]").value = newId();
  window.addEventListener("online", sync);
  window.addEventListener("offline", render);
  setInterval(sync, 15000); // also when the "online" event is missed
  sync();

  if ("serviceWorker" in navigator && form.dataset.sw) {
    navigator.serviceWorker.register(form.dataset.sw, { scope: form.dataset.scope }).then(function (registration) {
      var assets = Array.prototype.map.call(document.querySelectorAll("link[rel=stylesheet], script[src]"), function (el) {
        return el.href || el.src;
      });
      var worker = registration.active || registration.installing || registration.waiting;
      if (worker) worker.postMessage({ cache: assets });
    }).catch(function () { return null; });
  }
  window.perisaiField = { sync: sync, all: all, editing: function () { return editing; } };
})();
