// The web page: collect articles (pasted, or read from dropped files), post them to the API,
// show the returned report in a sandboxed frame. Text from files is only ever put into the
// page as text (textContent) or into the frame's srcdoc, never parsed as this page's markup.
(function () {
  "use strict";
  var pending = [];
  var $ = function (id) { return document.getElementById(id); };
  var saved = null;

  function status(text, error) {
    $("status").textContent = text;
    $("status").className = error ? "error" : "";
  }

  function stem(name) { return name.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, ""); }

  // A .txt's first line is its title when it is short, ends without a full stop and more follows.
  function fromText(name, content) {
    var lines = content.replace(/^\n+|\n+$/g, "").split("\n");
    var first = lines[0].trim();
    var words = first.split(/\s+/).length;
    if (lines.length > 1 && words >= 3 && words <= 30 && !/[.:,;]$/.test(first)) {
      return { id: stem(name), title: first, text: lines.slice(1).join("\n") };
    }
    return { id: stem(name), text: content };
  }

  function fromJsonl(name, content) {
    var out = [];
    content.split("\n").forEach(function (line, i) {
      if (!line.trim()) { return; }
      try {
        var obj = JSON.parse(line);
        if (obj && typeof obj === "object" && !Array.isArray(obj)) {
          if (obj.id === undefined) { obj.id = stem(name) + "-" + (i + 1); }
          out.push(obj);
        } else { status(name + ":" + (i + 1) + ": not a JSON object", true); }
      } catch (err) { status(name + ":" + (i + 1) + ": not JSON", true); }
    });
    return out;
  }

  function articlesOf(name, content) {
    if (/\.(jsonl|ndjson)$/i.test(name)) { return fromJsonl(name, content); }
    if (/\.(html?|xhtml)$/i.test(name)) { return [{ id: stem(name), html: content }]; }
    return [fromText(name, content)];
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

  function addFiles(files) {
    Array.prototype.forEach.call(files, function (file) {
      file.text().then(function (content) {
        pending = pending.concat(articlesOf(file.name, content));
        show();
      });
    });
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
