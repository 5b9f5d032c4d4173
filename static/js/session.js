// The sign-in's idle limit, as the page sees it: two minutes before the session ends a
// warning offers to stay signed in (asking the server first, since another tab may have
// kept the session alive); typing or clicking in the page counts as activity. When the
// session has ended the page goes to the sign-in page, unless a form on it was being
// filled: then it stays, and submitting keeps the content across the new sign-in.
// A form kept that way is filled back in when its page opens after signing in.
(function () {
  "use strict";

  var body = document.body;
  var url = body.getAttribute("data-session-url");
  if (!url) { return; }
  var idle = Number(body.getAttribute("data-session-idle")) * 1000;
  var warning = Number(body.getAttribute("data-session-warning")) * 1000;
  var loginUrl = body.getAttribute("data-login-url");
  var box = document.querySelector("[data-session-warning-box]");
  var endedBox = document.querySelector("[data-session-ended-box]");
  var countdown = box.querySelector("[data-session-countdown]");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var token = tokenInput ? tokenInput.value : "";
  var KEEP_ALIVE_EVERY = 5 * 60 * 1000;

  var deadline = Date.now() + idle;
  var lastKeepAlive = Date.now();
  var timer = null;
  var ticking = null;
  var edited = false;
  var ended = false;

  function ask(method) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method === "POST") { options.headers["X-CSRFToken"] = token; }
    return fetch(url, options).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return response.ok && json ? response.json() : { remaining: 0 };
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(deadline - warning - Date.now(), 0));
  }

  function update(data) {
    deadline = Date.now() + data.remaining * 1000;
    if (data.remaining <= 0) {
      end();
    } else if (deadline - Date.now() > warning + 5000) {
      hide();
      schedule();
    } else {
      warn();
    }
  }

  function check() {
    ask("GET").then(update, schedule);
  }

  function stay() {
    lastKeepAlive = Date.now();
    return ask("POST").then(update, schedule);
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    if (left <= 0) {
      clearInterval(ticking);
      ticking = null;
      check();
    }
  }

  function warn() {
    if (!box.hidden) { return; }
    box.hidden = false;
    tick();
    ticking = setInterval(tick, 1000);
    box.querySelector("[data-session-stay]").focus();
  }

  function hide() {
    box.hidden = true;
    if (ticking) { clearInterval(ticking); ticking = null; }
  }

  function relogin() {
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  }

  function end() {
    if (ended) { return; }
    ended = true;
    hide();
    clearTimeout(timer);
    if (edited) {
      endedBox.hidden = false;
    } else {
      relogin();
    }
  }

  box.querySelector("[data-session-stay]").addEventListener("click", stay);
  endedBox.querySelector("[data-session-relogin]").addEventListener("click", function (event) {
    event.preventDefault();
    relogin();
  });

  document.addEventListener("input", function (event) {
    if (event.target.form && !box.contains(event.target)) { edited = true; }
  });
  ["keydown", "pointerdown"].forEach(function (kind) {
    document.addEventListener(kind, function () {
      if (!ended && box.hidden && Date.now() - lastKeepAlive > KEEP_ALIVE_EVERY) { stay(); }
    }, { passive: true });
  });

  schedule();

  // A form submitted after the session ended, filled back in on its page.
  var source = document.getElementById("restored-form");
  if (!source) { return; }
  var draft = JSON.parse(source.textContent);
  var forms = Array.prototype.slice.call(document.querySelectorAll("main form"));
  var target = forms.filter(function (form) {
    return new URL(form.getAttribute("action") || "", window.location.href).pathname === draft.action;
  })[0] || forms.filter(function (form) {
    return Object.keys(draft.fields).some(function (name) { return form.elements.namedItem(name); });
  })[0];
  if (!target) { return; }
  Object.keys(draft.fields).forEach(function (name) {
    var values = draft.fields[name];
    var fields = target.querySelectorAll("[name='" + name.replace(/'/g, "\\'") + "']");
    Array.prototype.forEach.call(fields, function (field, index) {
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.indexOf(field.value) >= 0;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = values.indexOf(option.value) >= 0;
        });
      } else if (field.type !== "file" && index < values.length) {
        field.value = values[index];
      }
    });
  });
  edited = true;
  var note = document.createElement("div");
  note.className = "alert alert-info";
  note.setAttribute("role", "status");
  note.setAttribute("data-testid", "restored-form");
  note.textContent = "已恢复您在自动退出前填写的内容，请核对后再提交。" +
    (draft.files ? "所选的附件没有保留，请重新选择。" : "");
  target.parentNode.insertBefore(note, target);
}());
