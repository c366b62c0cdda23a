// The web page: collect articles (pasted, or read from dropped files), post them to the API,
// show the returned report in a sandboxed frame. Files are read by the server's readers; their
// text is only ever put into the page as text (textContent) or into the frame's srcdoc.
(function () {
  "use strict";
  var pending = [];
  var $ = function (id) { return document.getElementById(id); };
  var saved = null;

  function status(text, error) {
    $("status").textContent = text;
    $("status").className = error ? "error" : "";
  }

  function show() {
    var list = $("pending");
    list.textContent = "";
    pending.forEach(function (a, i) {
      var item = document.createElement("li");
      item.textContent = String(a.title || a.id || "article " + (i + 1)).slice(0, 60);
      var drop = document.createElement("button");
      drop.type = "button";
      drop.textContent = "×";
      drop.setAttribute("aria-label", "remove " + item.textContent);
      drop.addEventListener("click", function () { pending.splice(i, 1); show(); });
      item.appendChild(drop);
      list.appendChild(item);
    });
    status(pending.length ? pending.length + " article(s) ready" : "");
  }

  // Read articles through the server, as the command line reads them: a file's content
  // (POST /api/read) or URLs of pages and feeds (POST /api/fetch); add what comes back.
  function readVia(url, payload, name) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (r) {
        if (!response.ok) { throw new Error(name + ": " + r.detail); }
        pending = pending.concat(r.articles.map(function (a) {
          var out = {};
          Object.keys(a).forEach(function (k) { if (a[k] !== null) { out[k] = a[k]; } });
          return out;
        }));
        show();
        if (r.problems.length) { status(r.problems.join("; "), true); }
      });
    }).catch(function (err) { status(String(err.message || err), true); });
  }

  function addFiles(files) {
    Array.prototype.forEach.call(files, function (file) {
      file.text().then(function (content) {
        return readVia("/api/read", { name: file.name, content: content }, file.name);
      });
    });
  }

  function addUrls() {
    var urls = $("urls").value.split(/\s+/).filter(function (u) { return u; });
    if (!urls.length) { status("Give one or more URLs.", true); return; }
    status("Fetching…");
    readVia("/api/fetch", { urls: urls }, "URLs").then(function () { $("urls").value = ""; });
  }

  function body() {
    var out = { articles: pending.slice() };
    var words = parseInt($("words").value, 10);
    if (words > 0) { out.words = words; }
    if ($("focus").value.trim()) { out.focus = $("focus").value.trim(); }
    return JSON.stringify(out);
  }

  function post(url, accept) {
    if (!pending.length) { status("Add an article first.", true); return null; }
    $("brief").disabled = $("store").disabled = true;
    status("Working…");
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": accept },
      body: body()
    }).then(function (response) {
      $("brief").disabled = $("store").disabled = false;
      if (!response.ok) {
        return response.json().then(function (e) { throw new Error(e.detail); });
      }
      return accept === "text/html" ? response.text() : response.json();
    }).catch(function (err) {
      $("brief").disabled = $("store").disabled = false;
      status(String(err.message || err), true);
      return null;
    });
  }

  $("add").addEventListener("click", function () {
    var text = $("text").value;
    if (!text.trim()) { status("Paste an article's text first.", true); return; }
    var article = { id: "pasted-" + (pending.length + 1), text: text };
    if ($("title").value.trim()) { article.title = $("title").value.trim(); }
    pending.push(article);
    $("text").value = $("title").value = "";
    show();
  });
  $("files").addEventListener("change", function (e) { addFiles(e.target.files); });
  $("fetch").addEventListener("click", addUrls);
  var zone = $("drop");
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    addFiles(e.dataTransfer.files);
  });
  zone.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("files").click(); }
  });
  $("brief").addEventListener("click", function () {
    var sent = post("/api/brief", "text/html");
    if (!sent) { return; }
    sent.then(function (page) {
      if (page === null) { return; }
      var frame = $("result");
      frame.srcdoc = page;
      frame.hidden = false;
      if (saved) { URL.revokeObjectURL(saved); }
      saved = URL.createObjectURL(new Blob([page], { type: "text/html" }));
      $("save").href = saved;
      $("save").hidden = false;
      status("Briefing ready.");
      frame.scrollIntoView({ block: "start" });
    });
  });
  $("store").addEventListener("click", function () {
    var sent = post("/api/articles", "application/json");
    if (!sent) { return; }
    sent.then(function (r) {
      if (r === null) { return; }
      status(r.added + " added, " + r.known + " already stored, " + r.rejected.length +
        " rejected; reload to see the stories.", r.rejected.length > 0);
    });
  });
})();
