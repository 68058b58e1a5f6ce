// evc doc: the search page. The index (assets/index.js) is a script that
// sets window.EVC_INDEX, so search works from disk with no server.
(function () {
  "use strict";
  var index = window.EVC_INDEX || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("status");

  // score ranks a match: a name equal to the query first, then a name that
  // contains it, then a doc that contains every word.
  function score(e, words, q) {
    var name = e.n.toLowerCase();
    var doc = (e.d || "").toLowerCase();
    if (name === q || name.endsWith("." + q)) return 3;
    var inName = words.every(function (w) { return name.indexOf(w) >= 0; });
    if (inName) return 2;
    var all = words.every(function (w) { return name.indexOf(w) >= 0 || doc.indexOf(w) >= 0; });
    return all ? 1 : 0;
  }

  function run() {
    var q = input.value.trim().toLowerCase();
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!q) { status.textContent = index.length + " names in the catalog."; return; }
    var words = q.split(/\s+/);
    var hits = [];
    index.forEach(function (e, i) {
      var s = score(e, words, q);
      if (s > 0) hits.push({ e: e, s: s, i: i });
    });
    hits.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    status.textContent = hits.length === 1 ? "1 result" : hits.length + " results";
    hits.slice(0, 200).forEach(function (h) {
      var li = document.createElement("li");
      li.className = "result";
      var a = document.createElement("a");
      a.href = h.e.u;
      a.textContent = h.e.n;
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + h.e.k + (h.e.i ? " in " + h.e.i : "");
      li.appendChild(kind);
      if (h.e.d) {
        var p = document.createElement("div");
        p.className = "meta";
        p.textContent = h.e.d;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  input.addEventListener("input", run);
  run();
})();
