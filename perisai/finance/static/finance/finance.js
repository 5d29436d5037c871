/* Perisai Money: entries are kept on the phone (IndexedDB) and sent when online, each with a UUID made here,
   so a repeated send is stored once; an edit carries the version it was made against and a conflict is shown,
   never overwritten. This script holds no text (the page gives translated strings) and only enhances: without
   it every form posts normally. */
(function () {
  "use strict";
  var root = document.querySelector("[data-finance]");
  if (!root) return;
  var S = JSON.parse(document.getElementById("finance-strings").textContent);
  var CATS = JSON.parse(document.getElementById("finance-categories").textContent);
  var OWNER = root.getAttribute("data-owner");
  var SYNC_URL = root.getAttribute("data-sync-url");
  var DB_NAME = "perisai-finance", STORE = "queue", BATCH = 500;
  var box = root.querySelector("[data-sync-box]");
  var statusEl = root.querySelector("[data-sync-status]");
  var list = root.querySelector("[data-queue]");
  var tipEl = root.querySelector("[data-tip]");
  var syncing = false;
  var FIELDS = ["id", "base_version", "wallet", "category", "amount", "fee", "occurred_on", "note", "goal", "debt",
    "provider", "rate_received", "received", "sending_country"];

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  // ---- the queue (IndexedDB) ----
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function withStore(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        var req = fn(tx.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function put(rec) { return withStore("readwrite", function (s) { return s.put(rec); }); }
  function remove(id) { return withStore("readwrite", function (s) { return s.delete(id); }); }
  function mine() {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).filter(function (r) { return r.owner === OWNER; })
        .sort(function (a, b) { return a.saved_at - b.saved_at; });
    });
  }
  function forgetMine() {
    return mine().then(function (rows) { return Promise.all(rows.map(function (r) { return remove(r.id); })); });
  }

  // ---- showing it ----
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function button(text, cls, onclick) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onclick);
    return b;
  }
  function describe(item) {
    return (CATS[item.category] || item.category || "?") + " · " + (item.amount || "?") + " · " + (item.occurred_on || "");
  }
  function showTip(text) {
    if (tipEl && text) { tipEl.textContent = text; tipEl.hidden = false; }
  }
  function pendingText(n) { return S.pending.replace("%(n)s", String(n)); }

  function render() {
    return mine().then(function (rows) {
      list.textContent = "";
      if (!rows.length) { box.hidden = true; return rows; }
      box.hidden = false;
      var pending = rows.filter(function (r) { return r.state === "pending"; }).length;
      statusEl.textContent = (navigator.onLine ? "" : S.offline + " ") + pendingText(pending);
      rows.forEach(function (r) {
        var li = el("li", describe(r.item));
        li.setAttribute("data-queued", r.state);
        if (r.state === "conflict") {
          li.className = "fin-conflict";
          li.appendChild(el("div", r.server ? S.conflict : S.gone));
          if (r.server) {
            li.appendChild(el("div", S.saved_version + ": " + describe({
              category: r.server.category, amount: r.server.amount + " " + r.server.currency,
              occurred_on: r.server.occurred_on })));
            li.appendChild(el("div", S.your_version + ": " + describe(r.item)));
          }
          li.appendChild(button(S.keep_mine, "", function () {
            r.item.base_version = r.server ? r.server.version : 0;
            r.state = "pending";
            r.server = null;
            put(r).then(sync);
          }));
          li.appendChild(document.createTextNode(" "));
          li.appendChild(button(S.keep_saved, "secondary", function () { remove(r.id).then(render); }));
        } else if (r.state === "invalid") {
          li.className = "fin-conflict";
          var errors = r.errors || {};
          li.appendChild(el("div", S.invalid + " " + Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" ")));
          li.appendChild(button(S.remove, "secondary", function () { remove(r.id).then(render); }));
        }
        list.appendChild(li);
      });
      return rows;
    });
  }

  // ---- sending it ----
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function sync() {
    if (syncing) return Promise.resolve();
    return mine().then(function (rows) {
      var pending = rows.filter(function (r) { return r.state === "pending"; }).slice(0, BATCH);
      if (!pending.length || !navigator.onLine) return render();
      syncing = true;
      box.hidden = false;
      statusEl.textContent = S.sending;
      return fetch(SYNC_URL, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ items: pending.map(function (r) { return r.item; }) })
      }).then(function (resp) {
        if (resp.status === 401 || resp.status === 403) throw new Error(S.sign_in);
        if (!resp.ok) throw new Error(S.failed);
        return resp.json();
      }).then(function (body) {
        var byId = {}, work = [], tip = "";
        pending.forEach(function (r) { byId[r.id] = r; });
        body.results.forEach(function (res) {
          var rec = byId[res.id];
          if (!rec) return;
          if (res.status === "conflict") { rec.state = "conflict"; rec.server = res.server; work.push(put(rec)); }
          else if (res.status === "invalid") { rec.state = "invalid"; rec.errors = res.errors; work.push(put(rec)); }
          else { work.push(remove(rec.id)); if (res.tip) tip = res.tip; }
        });
        return Promise.all(work).then(function () {
          syncing = false;
          if (tip) showTip(tip);
          root.setAttribute("data-synced", String(Date.now()));
          return render();
        }).then(function (left) {
          if (!left.length) { box.hidden = false; statusEl.textContent = S.sent; }
          else if (left.some(function (r) { return r.state === "pending"; })) return sync();
        });
      }).catch(function (err) {
        syncing = false;
        return render().then(function () {
          box.hidden = false;
          statusEl.textContent = (err && err.message) || S.failed;
        });
      });
    });
  }

  // ---- the entry forms ----
  function itemFromForm(form, deleted) {
    var data = new FormData(form), item = {};
    FIELDS.forEach(function (k) { var v = data.get(k); item[k] = v === null ? "" : String(v); });
    item.base_version = parseInt(item.base_version || "0", 10) || 0;
    item.deleted = !!deleted;
    ["wallet", "goal", "debt"].forEach(function (k) { if (!item[k]) item[k] = null; });
    return item;
  }

  function openDetails(form) {
    var checked = form.querySelector("[name=category]:checked");
    var value = checked ? checked.value : "";
    var transfer = form.querySelector("[data-transfer]"), links = form.querySelector("[data-links]");
    if (transfer && value === "sending_home") transfer.open = true;
    if (links && (value === "loan_repayment" || value === "savings")) links.open = true;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-offline-entry]"), function (form) {
    var editing = form.hasAttribute("data-edit");
    var deleting = false;
    var hasErrors = !!form.querySelector(".errorlist");
    if (!editing && !hasErrors) {  // a page kept on the phone: a fresh entry every time
      form.querySelector("[name=id]").value = uuid4();
      var date = form.querySelector("[name=occurred_on]");
      if (date) date.value = today();
    }
    form.addEventListener("change", function () { openDetails(form); });
    var del = form.querySelector("[data-delete]");
    if (del) del.addEventListener("click", function () { deleting = true; });
    form.addEventListener("submit", function (ev) {
      if (!window.indexedDB || !window.fetch || !window.Promise) return;  // the plain form post
      var amount = form.querySelector("[name=amount]");
      var category = form.querySelector("[name=category]:checked");
      if (navigator.onLine && !deleting && (!category || !amount.value.trim())) return;  // the page explains
      ev.preventDefault();
      var item = itemFromForm(form, deleting);
      deleting = false;
      put({ id: item.id, owner: OWNER, item: item, state: "pending", saved_at: Date.now() }).then(function () {
        showTip(navigator.onLine ? S.saved : S.saved_on_phone);
        if (editing) {
          return sync().then(function () {
            return mine().then(function (rows) {
              if (navigator.onLine && !rows.some(function (r) { return r.id === item.id; })) {
                window.location.href = root.getAttribute("data-scope") + "entri/";
              }
            });
          });
        }
        form.querySelector("[name=id]").value = uuid4();
        ["amount", "note", "fee", "provider", "rate_received", "received"].forEach(function (k) {
          var input = form.querySelector("[name=" + k + "]");
          if (input) input.value = "";
        });
        if (category) category.checked = false;
        Array.prototype.forEach.call(form.querySelectorAll("details[open]"), function (d) { d.open = false; });
        return sync();
      });
    });
  });

  // ---- delete everything: forget this account's queue and the pages kept on the phone ----
  function forgetPhone() {
    var jobs = [forgetMine()];
    if (window.caches) {
      jobs.push(caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf("perisai-finance") === 0; })
          .map(function (k) { return caches.delete(k); }));
      }));
    }
    return Promise.all(jobs);
  }
  var erase = document.querySelector("form[data-erase]");
  if (erase) {
    erase.addEventListener("submit", function (ev) {
      var confirm = erase.querySelector("[name=confirm]");
      if (!confirm || !confirm.checked) return;
      ev.preventDefault();
      forgetPhone().then(function () { erase.submit(); }, function () { erase.submit(); });
    });
  }
  if (/[?&]terhapus=1/.test(window.location.search)) forgetPhone();

  // Signing out on a shared phone: the pages kept for offline use are dropped (the files stay; entries not yet
  // sent stay too, tagged with her account, and are sent only when she signs in again).
  function forgetPages() {
    if (!window.caches) return Promise.resolve();
    var keep = root.getAttribute("data-static");
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("perisai-finance") === 0; }).map(function (k) {
        return caches.open(k).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.filter(function (r) {
              var path = new URL(r.url).pathname;
              return path.indexOf(keep) !== 0 && path !== root.getAttribute("data-scope") + "offline/";
            })
              .map(function (r) { return cache.delete(r); }));
          });
        });
      }));
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[action='" + root.getAttribute("data-logout") + "']"), function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      forgetPages().then(function () { form.submit(); }, function () { form.submit(); });
    });
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: root.getAttribute("data-scope") })
      .catch(function () { /* the pages still work online */ });
  }
  window.addEventListener("online", sync);
  window.addEventListener("offline", render);
  root.querySelector("[data-sync-now]").addEventListener("click", sync);
  render().then(sync);
})();
