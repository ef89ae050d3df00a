/* Self-hosted enhancements: the decision-tree walk, and sortable / filterable tables.
   Everything here is progressive: without JavaScript the outline and the full tables remain. */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  /* ---- Decision-tree walk: the path is the list of answer indices, kept in ?path=0.1.2 ---- */

  function readPath(tree) {
    var raw = new URLSearchParams(window.location.search).get("path") || "";
    var path = [];
    var current = tree.root;
    raw.split(".").filter(Boolean).every(function (part) {
      var question = tree.questions[current];
      var index = Number(part);
      if (!question || !Number.isInteger(index) || !question.answers[index]) return false;
      path.push(index);
      current = question.answers[index].next;
      return Boolean(current);
    });
    return path;
  }

  function writePath(path) {
    var params = new URLSearchParams(window.location.search);
    if (path.length) params.set("path", path.join("."));
    else params.delete("path");
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  function helpFor(questionId) {
    var heading = document.getElementById(questionId);
    var help = heading && heading.nextElementSibling;
    return help && help.tagName === "P" ? help.cloneNode(true) : null;
  }

  function renderWalk(root, tree, path) {
    writePath(path);
    root.textContent = "";
    var current = tree.root;
    var trail = el("ol", { "class": "tx-walk-trail", "aria-label": "Your answers so far" });
    path.forEach(function (index) {
      var answer = tree.questions[current].answers[index];
      trail.appendChild(el("li", {}, [
        el("a", { href: "#" + current, text: current.toUpperCase() + ". " + tree.questions[current].question }),
        el("span", { text: " — " + answer.label })
      ]));
      current = answer.next || null;
    });
    var last = path.length ? tree.questions[walkQuestion(tree, path.slice(0, -1))].answers[path[path.length - 1]] : null;
    var body = el("div", { "class": "tx-walk-step", "aria-live": "polite" });
    if (last && last.entry) {
      var result = tree.entries[last.entry];
      body.appendChild(el("p", { "class": "tx-walk-result-label", text: "Result" }));
      body.appendChild(el("p", { "class": "tx-walk-result" }, [el("a", { href: result.url, text: result.title })]));
      body.appendChild(el("p", { text: result.summary }));
      if (result.also.length) {
        var also = el("p", { "class": "tx-walk-also", text: result.also_label || "The kinds can co-occur. Also worth checking: " });
        result.also.forEach(function (other, i) {
          if (i) also.appendChild(document.createTextNode(", "));
          also.appendChild(el("a", { href: other.url, text: other.title }));
        });
        body.appendChild(also);
      }
    } else {
      var question = tree.questions[current];
      body.appendChild(el("p", { "class": "tx-walk-step-label", text: "Step " + (path.length + 1) + " · " + current.toUpperCase() }));
      body.appendChild(el("h3", { "class": "tx-walk-question", id: "tx-walk-question", text: question.question }));
      var help = helpFor(current);
      if (help) body.appendChild(help);
      var answers = el("div", { "class": "tx-walk-answers", role: "group", "aria-labelledby": "tx-walk-question" });
      question.answers.forEach(function (answer, index) {
        var button = el("button", { type: "button", "class": "md-button tx-walk-answer", "data-answer": String(index), text: answer.label });
        button.addEventListener("click", function () { renderWalk(root, tree, path.concat([index])); });
        answers.appendChild(button);
      });
      body.appendChild(answers);
    }
    var controls = el("div", { "class": "tx-walk-controls" });
    var back = el("button", { type: "button", "class": "md-button tx-walk-back", text: "Back" });
    back.disabled = path.length === 0;
    back.addEventListener("click", function () { renderWalk(root, tree, path.slice(0, -1)); });
    var restart = el("button", { type: "button", "class": "md-button tx-walk-restart", text: "Restart" });
    restart.disabled = path.length === 0;
    restart.addEventListener("click", function () { renderWalk(root, tree, []); });
    controls.appendChild(back);
    controls.appendChild(restart);
    root.appendChild(el("h2", { "class": "tx-walk-title", text: "Walk through the tree" }));
    if (path.length) root.appendChild(trail);
    root.appendChild(body);
    root.appendChild(controls);
  }

  function walkQuestion(tree, path) {
    var current = tree.root;
    path.forEach(function (index) { current = tree.questions[current].answers[index].next; });
    return current;
  }

  function initWalk() {
    var root = document.getElementById("tx-walk");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    var tree = JSON.parse(root.getAttribute("data-tree"));
    root.hidden = false;
    renderWalk(root, tree, readPath(tree));
  }

  /* ---- Tables: click a header to sort; a filter box above long tables ---- */

  function cellText(row, index) {
    var cell = row.children[index];
    return cell ? cell.textContent.trim() : "";
  }

  function sortTable(table, index, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var result = cellText(a, index).localeCompare(cellText(b, index), undefined, { numeric: true, sensitivity: "base" });
      return ascending ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function enhanceTable(table) {
    if (table.dataset.enhanced || !table.tHead || !table.tBodies.length) return;
    table.dataset.enhanced = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = el("button", { type: "button", "class": "tx-sort", title: "Sort by this column" });
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, index, th); });
    });
    if (table.tBodies[0].rows.length >= 6) {
      var input = el("input", { type: "search", "class": "tx-filter", placeholder: "Filter rows…", "aria-label": "Filter table rows" });
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
        });
      });
      var wrapper = table.closest(".md-typeset__scrollwrap") || table;
      wrapper.parentNode.insertBefore(input, wrapper);
    }
  }

  /* ---- Citations: fill in today's date as the access date ---- */

  function fillAccessDate() {
    var today = new Date();
    var iso = [today.getFullYear(), String(today.getMonth() + 1).padStart(2, "0"),
      String(today.getDate()).padStart(2, "0")].join("-");
    document.querySelectorAll(".tx-citation code").forEach(function (code) {
      var walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        if (walker.currentNode.nodeValue.indexOf("YYYY-MM-DD") !== -1) {
          walker.currentNode.nodeValue = walker.currentNode.nodeValue.split("YYYY-MM-DD").join(iso);
        }
      }
    });
  }

  function init() {
    initWalk();
    fillAccessDate();
    document.querySelectorAll("article table").forEach(enhanceTable);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);  /* Material: runs on every page, including instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
