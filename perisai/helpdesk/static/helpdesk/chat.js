/* The help chat, enhanced: send without reloading, poll for staff answers, share a location, quick exit.
   Nothing is written to the browser: no cookie, no storage; the page forgets everything when closed. */
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root) { return; }
  // The site's htmx notes the current path in sessionStorage: a chat page leaves no trace there.
  function forget() {
    try {
      ["htmx-current-path-for-history", "htmx-history-cache"].forEach(function (k) { window.sessionStorage.removeItem(k); });
    } catch (e) { /* storage disabled: nothing to forget */ }
  }
  forget();
  window.addEventListener("pagehide", forget);
  var form = document.getElementById("chat-form");
  var log = document.getElementById("chat-log");
  var token = document.getElementById("chat-token");
  var after = document.getElementById("chat-after");
  var text = document.getElementById("chat-text");
  var send = document.getElementById("chat-send");
  var lat = document.getElementById("chat-lat");
  var lon = document.getElementById("chat-lon");
  var refresh = document.getElementById("chat-refresh");
  var exitUrl = root.getAttribute("data-exit");
  var busy = false;

  function quickExit() {
    try { document.title = ""; document.body.innerHTML = ""; } catch (e) { /* leave anyway */ }
    try { window.top.location.replace(exitUrl); } catch (e) { window.location.replace(exitUrl); }
  }
  var exitLink = document.getElementById("quick-exit");
  if (exitLink) {
    exitLink.addEventListener("click", function (event) { event.preventDefault(); quickExit(); });
  }
  var shifts = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) { return; }
    var now = Date.now();
    shifts.push(now);
    shifts = shifts.filter(function (t) { return now - t < 1500; });
    if (shifts.length >= 3) { quickExit(); }
  });

  if (refresh) { refresh.hidden = true; }  // the page checks by itself
  var oldOptions = document.getElementById("chat-options");

  function bubble(item) {
    var li = document.createElement("li");
    var kind = item.who === "me" ? "person" : item.who;
    li.className = "msg " + kind;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = root.getAttribute(kind === "person" ? "data-you" : (kind === "staff" ? "data-staff" : "data-bot"));
    li.appendChild(who);
    String(item.text || "").split("\n").forEach(function (line, i) {
      if (i > 0) { li.appendChild(document.createElement("br")); }
      li.appendChild(document.createTextNode(line));
    });
    if ((item.options && item.options.length) || item.ask_location) {
      var box = document.createElement("div");
      box.className = "options";
      (item.options || []).forEach(function (option) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "secondary";
        b.textContent = option.key + ". " + option.label;
        b.addEventListener("click", function () { post({option: option.key}, option.key + ". " + option.label); });
        box.appendChild(b);
      });
      if (item.ask_location && navigator.geolocation) {
        var g = document.createElement("button");
        g.type = "button";
        g.textContent = root.getAttribute("data-share");
        g.addEventListener("click", shareLocation);
        box.appendChild(g);
      }
      li.appendChild(box);
    }
    log.appendChild(li);
    li.scrollIntoView({block: "end"});
  }

  function note(message) {
    bubble({who: "bot", text: message});
  }

  function show(data) {
    if (data.erased) { log.innerHTML = ""; }
    token.value = data.token !== undefined ? data.token : token.value;
    if (data.after !== undefined) { after.value = data.after; }
    (data.items || []).forEach(function (item) { if (item.who !== "me") { bubble(item); } });
  }

  function request(url, fields) {
    var body = new FormData();
    body.append("token", token.value);
    body.append("after", after.value || "0");
    Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
    return fetch(url, {method: "POST", body: body, headers: {"Accept": "application/json"}, credentials: "omit", cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); });
  }

  function post(fields, shown) {
    if (busy) { return; }
    busy = true;
    send.disabled = true;
    if (oldOptions) { oldOptions.remove(); oldOptions = null; }
    var intro = log.querySelector("[data-intro]");
    if (intro) { intro.remove(); }
    if (shown) { bubble({who: "me", text: shown}); }
    fields.lang = form.elements.lang.value;
    request(form.getAttribute("action"), fields).then(function (data) {
      if (fields.text !== undefined) { text.value = ""; }
      show(data);
    }).catch(function () {
      note(root.getAttribute("data-send-error"));
    }).then(function () {
      busy = false;
      send.disabled = false;
      text.focus();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.name === "option") {
      post({option: submitter.value}, submitter.textContent);
      return;
    }
    var value = text.value;
    if (!value.trim()) { return; }
    post({text: value}, value);
  });
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  function shareLocation() {
    navigator.geolocation.getCurrentPosition(function (pos) {
      post({lat: pos.coords.latitude.toFixed(5), lon: pos.coords.longitude.toFixed(5)}, "\uD83D\uDCCD");
    }, function () {
      note(root.getAttribute("data-geo-error"));
    }, {enableHighAccuracy: false, timeout: 15000, maximumAge: 60000});
  }

  window.setInterval(function () {
    if (!token.value || busy || document.hidden) { return; }
    request(root.getAttribute("data-poll"), {}).then(function (data) {
      if (data.after !== undefined) { after.value = data.after; }
      (data.items || []).forEach(bubble);
    }).catch(function () { /* try again next time */ });
  }, 5000);
})();
