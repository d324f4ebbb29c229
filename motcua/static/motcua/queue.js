/* The queue's pages: the kiosk goes back to its home screen after a while without a touch (with a
   warning that lets the person stay, WCAG 2.2.1); the board reads new calls aloud in Vietnamese
   (Web Speech API) once someone turns the voice on. Both pages work without this file. */
(function () {
  "use strict";

  // ---- kiosk ----------------------------------------------------------------------------------
  function kioskIdle() {
    var root = document.querySelector("[data-kiosk-home]");
    if (!root) { return; }
    var home = root.getAttribute("data-kiosk-home");
    var idle = parseInt(root.getAttribute("data-kiosk-idle"), 10) || 60;
    var warnFor = Math.min(15, Math.max(idle - 5, 1));
    var box = root.querySelector("[data-kiosk-warning]");
    var count = root.querySelector("[data-kiosk-count]");
    var last = Date.now();
    var onHome = window.location.pathname === home;

    function touched() {
      last = Date.now();
      if (box && !box.hidden) { box.hidden = true; }
    }
    ["pointerdown", "keydown", "touchstart", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, touched, { passive: true, capture: true });
    });
    var stay = root.querySelector("[data-kiosk-stay]");
    if (stay) { stay.addEventListener("click", touched); }

    function dirty() {
      return Array.prototype.some.call(document.querySelectorAll("input:not([type=hidden]), textarea"),
        function (el) { return el.value; });
    }

    window.setInterval(function () {
      var left = idle - Math.floor((Date.now() - last) / 1000);
      if (onHome && !dirty() && window.scrollY === 0) { last = Date.now(); return; }
      if (left <= 0) { window.location.assign(home); return; }
      if (left <= warnFor && box) {
        box.hidden = false;
        if (count) { count.textContent = String(left); }
      }
    }, 1000);
  }

  // ---- board ----------------------------------------------------------------------------------
  var KEY = "motcua.board.voice";
  var spoken = {};

  function voiceOn() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  function say(text) {
    if (!("speechSynthesis" in window) || !voiceOn()) { return; }
    var u = new window.SpeechSynthesisUtterance(text);
    u.lang = "vi-VN";
    u.rate = 0.9;
    var voices = window.speechSynthesis.getVoices().filter(function (v) { return /^vi/i.test(v.lang); });
    if (voices.length) { u.voice = voices[0]; }
    window.speechSynthesis.speak(u);
  }

  function announce(first) {
    var rows = document.querySelectorAll("#board [data-call]");
    var fresh = [];
    rows.forEach(function (row) {
      var key = row.getAttribute("data-call");
      if (!spoken[key]) {
        spoken[key] = true;
        fresh.push(row.getAttribute("data-say"));
      }
    });
    if (!first) { fresh.reverse().forEach(say); }
  }

  function board() {
    if (!document.getElementById("board")) { return; }
    var button = document.querySelector("[data-board-voice]");
    if (button && "speechSynthesis" in window) {
      button.hidden = false;
      button.setAttribute("aria-pressed", voiceOn() ? "true" : "false");
      button.addEventListener("click", function () {
        var on = !voiceOn();
        try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
    announce(true);
    document.body.addEventListener("htmx:afterSwap", function () { announce(false); });
  }

  // ---- the ticket: printed once as soon as it is taken, when the kiosk is set to ------------
  function autoPrint() {
    var slip = document.querySelector("[data-autoprint]");
    if (!slip) { return; }
    var key = "motcua.printed." + slip.getAttribute("data-autoprint");
    try {
      if (window.sessionStorage.getItem(key)) { return; }
      window.sessionStorage.setItem(key, "1");
    } catch (e) { /* private mode: print anyway */ }
    window.print();
  }

  document.addEventListener("DOMContentLoaded", function () {
    autoPrint();
    kioskIdle();
    board();
  });
})();
