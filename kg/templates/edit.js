// kg serve --corrections: the details panel rejects, merges, renames and adds; each correction is posted
// with the server's token, and the page reloads to show the graph the server made with it.
(function () {
  "use strict";
  var EDIT = /*__KG_EDIT__*/null;
  var info = window.kgInfo, related = window.kgRelated;

  function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }

  var panel = el("div", null, "kg-edit");
  panel.id = "kg-edit";
  panel.style.cssText = "border:1px solid #c5b3e6;background:#f8f5fc;padding:6px;margin:6px 0;";
  panel.appendChild(el("strong", "✎ 更正 corrections"));
  panel.appendChild(el("div", EDIT.file, "muted"));
  var status = el("div", sessionStorage.getItem("kg-edit-message") || "");
  status.id = "kg-edit-status";
  sessionStorage.removeItem("kg-edit-message");
  panel.appendChild(status);
  EDIT.notApplied.forEach(function (t) { panel.appendChild(el("div", "⚠ " + t)); });
  var items = el("ol");
  items.id = "kg-edit-list";
  EDIT.items.forEach(function (c) {
    var li = el("li", c.text + " (" + [c.by, c.at].filter(Boolean).join(", ") + ") ");
    li.setAttribute("data-id", c.id);
    li.appendChild(button("undo 撤销", "undo", function (b) { send(EDIT.undo, {id: c.id}, b, ""); }));
    items.appendChild(li);
  });
  if (!EDIT.items.length) panel.appendChild(el("div", "none yet 暂无", "muted"));
  panel.appendChild(items);
  var side = document.getElementById("side");
  side.insertBefore(panel, document.getElementById("details"));

  function button(text, action, onclick) {
    var b = el("button", text, "kg-copy");
    b.setAttribute("data-action", action);
    b.addEventListener("click", function () { onclick(b); });
    return b;
  }
  function send(path, data, b, reselect) {
    b.disabled = true;
    status.textContent = "…";
    var headers = {"Content-Type": "application/json"};
    headers[EDIT.header] = EDIT.token;
    fetch(path, {method: "POST", headers: headers, body: JSON.stringify(data), credentials: "same-origin"})
      .then(function (r) { return r.text().then(function (t) { return [r.ok, t]; }); })
      .then(function (res) {
        if (!res[0]) { status.textContent = res[1]; b.disabled = false; return; }
        sessionStorage.setItem("kg-edit-message", JSON.parse(res[1]).message);
        if (reselect) sessionStorage.setItem("kg-edit-select", reselect);
        location.reload();
      }, function (e) { status.textContent = String(e); b.disabled = false; });
  }
  function field(placeholder, name) {
    var i = el("input");
    i.placeholder = placeholder; i.name = name; i.size = 18;
    return i;
  }
  function form(action, placeholder, make) {
    // an input and a button: make(value) gives the correction and the label to select after it
    var li = el("li"), i = field(placeholder, action);
    li.appendChild(i);
    li.appendChild(button(action.replace("-", " "), action, function (b) {
      var v = i.value.trim();
      if (!v) { status.textContent = "give " + placeholder; return; }
      var c = make(v);
      send(EDIT.add, c[0], b, c[1]);
    }));
    return li;
  }
  function act(text, action, data, reselect) {
    var li = el("li");
    li.appendChild(button(text, action, function (b) { send(EDIT.add, data, b, reselect); }));
    return li;
  }
  function sameLabelPrograms(x) {
    return info.filter(function (y) { return y.c === "program" && y.l === x.l && y.f === x.f; }).length;
  }

  function controls(id) {
    var x = info[id], ul = el("ul");
    if (x.c === "program" && x.f) {
      var base = {what: "program", file: x.f, label: x.l};
      if (sameLabelPrograms(x) > 1) base.evidence = (x.e || "").slice(0, 60);
      function fact(what, other) { var d = Object.assign({}, base, {action: "reject", what: what}); if (other) d.other = other; return d; }
      ul.appendChild(act("reject this program 否定", "reject-program", fact("program")));
      related(id, "in", "runs").forEach(function (u) { ul.appendChild(act("reject runner " + info[u].l, "reject-runs", fact("runs", info[u].l), x.l)); });
      related(id, "out", "inPlace").forEach(function (p) { ul.appendChild(act("reject place " + info[p].l, "reject-place", fact("place", info[p].l), x.l)); });
      related(id, "out", "amount").forEach(function (a) { ul.appendChild(act("reject amount " + info[a].t, "reject-amount", fact("amount", info[a].t), x.l)); });
      ul.appendChild(form("rename-program", "new label 新名称", function (v) { return [Object.assign({}, base, {action: "rename", other: v}), v]; }));
      ul.appendChild(form("merge-program", "other program's label", function (v) { return [Object.assign({}, base, {action: "merge", other: v}), x.l]; }));
      var add = el("li"), u = field("union 工会", "union"), pl = field("place 地点 (a|b)", "place"), am = field("amount 数额 (a|b)", "amount");
      [u, pl, am].forEach(function (i) { add.appendChild(i); });
      add.appendChild(button("add", "add-program", function (b) {
        if (!u.value.trim()) { status.textContent = "give the union that runs it"; return; }
        send(EDIT.add, {action: "add", what: "program", file: x.f, label: x.l, other: u.value.trim(),
                        place: pl.value.trim(), amount: am.value.trim(), evidence: x.e || ""}, b, x.l);
      }));
      ul.appendChild(add);
    } else if (x.c === "union" || x.c === "place") {
      ul.appendChild(form("rename-" + x.c, "new label 新名称", function (v) { return [{action: "rename", what: x.c, label: x.l, other: v}, v]; }));
      if (x.c === "union") {
        ul.appendChild(form("merge-union", "other spelling to merge in", function (v) { return [{action: "merge", what: "union", label: x.l, other: v}, x.l]; }));
        var files = [];
        related(id, "out", "mentionedIn", "article").forEach(function (a) { if (info[a].f && files.indexOf(info[a].f) < 0) files.push(info[a].f); });
        files.slice(0, 5).forEach(function (f) { ul.appendChild(act("reject its mention in " + f, "reject-union", {action: "reject", what: "union", file: f, label: x.l})); });
      }
    }
    return ul.childNodes.length ? ul : null;
  }

  document.addEventListener("kg-details", function (ev) {
    var ul = controls(ev.detail);
    if (!ul) return;
    var box = document.getElementById("details");
    box.appendChild(el("h2", "✎ 更正 correct it here"));
    box.appendChild(ul);
  });

  // after a correction: select the node it concerns, once the layout is done
  var wanted = sessionStorage.getItem("kg-edit-select");
  sessionStorage.removeItem("kg-edit-select");
  if (wanted) {
    var timer = setInterval(function () {
      if (document.body.getAttribute("data-ready") !== "1") return;
      clearInterval(timer);
      for (var i = 0; i < info.length; i++) if (info[i].l === wanted) { window.kgSelect(i, true); break; }
    }, 100);
  }
})();
