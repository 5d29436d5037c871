/* Perisai boarding service worker: keeps the boarding page of a leg and the static files it uses, so that
 * the page opens again without a network. Network first; the cache only answers when the network cannot.
 * Nothing else is cached, and a page that redirected (to sign in) is never kept. */
var CACHE = "perisai-boarding-v1";
var BOARD = /^\/evacuation\/legs\/[0-9a-f-]+\/board\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var board = BOARD.test(url.pathname);
  if (!board && url.pathname.indexOf("/static/") !== 0) { return; }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !response.redirected && response.type === "basic") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(board ? url.pathname : request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(board ? url.pathname : request);
      }).then(function (hit) {
        return hit || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    })
  );
});
