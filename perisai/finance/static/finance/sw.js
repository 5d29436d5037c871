/* Perisai Money service worker, served from /finance/sw.js (scope /finance/). It keeps the entry screens and
   their files on the phone so that entries can be written without a connection. Pages are fetched from the
   network first and kept for the next time there is none; files under /static/ are served from the phone.
   When the network answers with a redirect out of the money pages (signed out), her kept pages are dropped. */
"use strict";
var VERSION = "__VERSION__";
var SHELL = __SHELL__;
var OFFLINE = __OFFLINE__;
var STATIC = __STATIC__;
var CACHE = "perisai-finance-" + VERSION;
var SCOPE = new URL(self.registration.scope).pathname;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (resp) {
        if (resp.ok && !resp.redirected) return cache.put(url, resp);
      }).catch(function () { /* kept on a later visit */ });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("perisai-finance-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function forgetPages() {
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (r) {
        var path = new URL(r.url).pathname;
        return path.indexOf(STATIC) !== 0 && path !== OFFLINE;
      }).map(function (r) { return cache.delete(r); }));
    });
  });
}

function keep(request, response) {
  var copy = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (resp) {
        if (resp.ok) keep(req, resp);
        return resp;
      });
    }));
    return;
  }
  if (url.pathname.indexOf(SCOPE) !== 0 || req.mode !== "navigate") return;
  if (/\.(js|csv|webmanifest)$/.test(url.pathname)) return;
  event.respondWith(fetch(url.href, { credentials: "same-origin" }).then(function (resp) {
    if (resp.redirected) {
      if (new URL(resp.url).pathname.indexOf(SCOPE) !== 0) forgetPages();
      return Response.redirect(resp.url, 303);
    }
    if (resp.ok) keep(url.href, resp);
    return resp;
  }).catch(function () {
    return caches.match(url.href).then(function (hit) {
      return hit || caches.match(url.href, { ignoreSearch: true });
    }).then(function (hit) {
      return hit || caches.match(OFFLINE);
    }).then(function (hit) {
      return hit || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
  }));
});
