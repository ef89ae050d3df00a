/* Self-hosted enhancements: the decision-tree walk, sortable / filterable tables, labelled scroll boxes,
   the citation access date, content tabs that keep the address, and printed link targets.
   Everything here is progressive: without JavaScript the outline, the full tables and the citations remain. */
(function () {
  "use strict";

  var FILTER_MIN_ROWS = 12;  /* a filter box only above tables at least this long */
  var LONG_HELP = 160;  /* on a narrow screen, a step's help longer than this (characters) folds behind "More" */
  var NARROW = window.matchMedia("(max-width: 44.984375em)");  /* Material's breakpoint below tablets */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  /* Inert inline nodes written at build time (taxonomy/inline.py): strings and {tag, href, class, children}. */
  var INLINE_TAGS = { a: true, em: true, strong: true, code: true };

  function inline(nodes) {
    var fragment = document.createDocumentFragment();
    nodes.forEach(function (node) {
      if (typeof node === "string") {
        fragment.appendChild(document.createTextNode(node));
        return;
      }
      var element = document.createElement(INLINE_TAGS[node.tag] ? node.tag : "span");
      if (node.tag === "a" && node.href) element.setAttribute("href", node.href);
      if (node["class"]) element.setAttribute("class", node["class"]);
      element.appendChild(inline(node.children || []));
      fragment.appendChild(element);
    });
    return fragment;
  }

  /* ---- Decision-tree walk: the path is the list of answer indices, kept in ?path=0.1.2 ---- */

  /* Follow a path once: the questions asked, the answers given, and where it ends (a question or a result). */
  function follow(tree, path) {
    var steps = [];
    var current = tree.root;
    var result = null;
    for (var i = 0; i < path.length && current; i++) {
      var question = tree.questions[current];
      var answer = question && question.answers[path[i]];
      if (!answer) break;
      steps.push({ id: current, question: question, answer: answer, index: path[i] });
      current = answer.next || null;
      if (answer.entry) result = answer.entry;
    }
    return { steps: steps, path: steps.map(function (s) { return s.index; }), current: current, result: result };
  }

  /* The walk the address asks for (?path=…), followed once; a path that leaves the tree stops where it does. */
  function readWalk(tree) {
    var raw = new URLSearchParams(window.location.search).get("path") || "";
    var indices = raw.split(".").filter(Boolean).map(Number);
    return follow(tree, indices.every(Number.isInteger) ? indices : []);
  }

  function pathUrl(path) {
    var params = new URLSearchParams(window.location.search);
    if (path.length) params.set("path", path.join("."));
    else params.delete("path");
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function Walk(root, tree) {
    this.root = root;
    this.tree = tree;
    this.path = [];
    this.pushed = 0;  /* history entries this walk added and has not stepped back over */
    this.trail = el("ol", { "class": "tx-walk-trail", "aria-label": "Your answers so far" });
    this.step = el("div", { "class": "tx-walk-step" });
    this.status = el("p", { "class": "tx-visually-hidden", role: "status", "aria-live": "polite" });
    this.back = el("button", { type: "button", "class": "md-button tx-walk-back", text: "Back" });
    this.restart = el("button", { type: "button", "class": "md-button tx-walk-restart", text: "Restart" });
    this.copy = el("button", { type: "button", "class": "md-button tx-walk-copy", text: "Copy link to this path" });
    var self = this;
    this.back.addEventListener("click", function () { self.goBack(); });
    this.restart.addEventListener("click", function () { self.go([], "Restarted."); });
    this.copy.addEventListener("click", function () { self.copyLink(); });
    root.textContent = "";
    root.appendChild(el("h2", { "class": "tx-walk-title", text: "Walk through the tree" }));
    root.appendChild(this.trail);
    root.appendChild(this.step);
    root.appendChild(el("div", { "class": "tx-walk-controls" }, [this.back, this.restart, this.copy]));
    root.appendChild(this.status);
  }

  /* Take a new path as a new history entry, so the browser's Back button undoes exactly one step. */
  Walk.prototype.go = function (path, announcement) {
    window.history.pushState(null, "", pathUrl(path) + window.location.hash);
    this.pushed += 1;
    this.render(follow(this.tree, path), announcement, true);
  };

  /* The Back button steps back through the history this walk made, so the browser's Back and Forward agree
     with it; a walk opened part-way (a shared link) has no such history, and replaces its address instead. */
  Walk.prototype.goBack = function () {
    if (this.pushed > 0) {
      window.history.back();  /* the popstate listener renders the previous step */
      return;
    }
    var previous = this.path.slice(0, -1);
    window.history.replaceState(null, "", pathUrl(previous) + window.location.hash);
    this.render(follow(this.tree, previous), "Went back.", true);
  };

  /* Copy the address of this path (the page, ?path=… and nothing else) and say so. */
  Walk.prototype.copyLink = function () {
    var self = this;
    var address = window.location.origin + pathUrl(this.path);
    var done = function () { self.status.textContent = "Link to this path copied."; };
    var fallback = function () {
      var field = el("textarea", { "class": "tx-visually-hidden", "aria-hidden": "true", readonly: "" });
      field.value = address;
      self.root.appendChild(field);
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      field.remove();
      self.copy.focus();
      self.status.textContent = copied ? "Link to this path copied." : "Copy this link: " + address;
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(address).then(done, fallback);
    else fallback();
  };

  /* Bring the step into view below the sticky header (the stylesheet's scroll-margin-top), unless it is. */
  Walk.prototype.reveal = function (heading) {
    var header = document.querySelector(".md-header");
    var top = header ? header.getBoundingClientRect().bottom : 0;
    var box = heading.getBoundingClientRect();
    if (box.top < top || box.bottom > window.innerHeight) this.step.scrollIntoView({ block: "start" });
  };

  /* Show a walk that has been followed through the tree (once, by `follow`): its trail, and its question or result. */
  Walk.prototype.render = function (walk, announcement, moveFocus) {
    var tree = this.tree;
    this.path = walk.path;
    this.pathname = window.location.pathname;
    this.trail.textContent = "";
    walk.steps.forEach(function (step) {
      this.trail.appendChild(el("li", {}, [
        el("a", { href: "#" + step.id, text: step.id.toUpperCase() + ". " + step.question.question }),
        el("span", { text: " — " + step.answer.label })
      ]));
    }, this);
    this.trail.hidden = walk.steps.length === 0;
    this.step.textContent = "";
    var heading;
    if (walk.result) {
      var result = tree.entries[walk.result];
      this.step.appendChild(el("p", { "class": "tx-walk-result-label", text: "Result" }));
      heading = el("h3", { "class": "tx-walk-result", id: "tx-walk-heading", tabindex: "-1" },
        [el("a", { href: result.url, text: result.title })]);
      this.step.appendChild(heading);
      this.step.appendChild(el("p", { text: result.summary }));
      if (result.cases && result.cases.length) {
        this.step.appendChild(el("p", { "class": "tx-walk-cases-label", text: "Worked cases that end here:" }));
        this.step.appendChild(el("ul", { "class": "tx-walk-cases" }, result.cases.map(function (item) {
          return el("li", {}, [el("a", { href: item.url, text: item.title }),
            document.createTextNode(" · "), el("em", { text: item.evidence })]);
        })));
      }
      if (result.also.length) {
        var also = el("p", { "class": "tx-walk-also", text: result.also_label || "The kinds can co-occur. Also worth checking: " });
        result.also.forEach(function (other, i) {
          if (i) also.appendChild(document.createTextNode(", "));
          also.appendChild(el("a", { href: other.url, text: other.title }));
        });
        this.step.appendChild(also);
      }
    } else {
      var question = tree.questions[walk.current];
      this.step.appendChild(el("p", { "class": "tx-walk-step-label",
        text: "Step " + (walk.steps.length + 1) + " · " + walk.current.toUpperCase() }));
      heading = el("h3", { "class": "tx-walk-question", id: "tx-walk-heading", tabindex: "-1", text: question.question });
      this.step.appendChild(heading);
      var help = question.help && question.help.length ? el("p", { "class": "tx-walk-help" }, [inline(question.help)]) : null;
      var fold = help && NARROW.matches && help.textContent.length > LONG_HELP;
      if (help && !fold) this.step.appendChild(help);
      var answers = el("div", { "class": "tx-walk-answers", role: "group", "aria-labelledby": "tx-walk-heading" });
      var self = this;
      question.answers.forEach(function (answer, index) {
        var button = el("button", { type: "button", "class": "md-button tx-walk-answer", "data-answer": String(index),
          text: answer.label });
        button.addEventListener("click", function () {
          self.go(walk.path.concat([index]), "Answered: " + answer.label + ".");
        });
        answers.appendChild(button);
      });
      this.step.appendChild(answers);
      if (fold) {  /* a phone: the answers first, the long help one tap away */
        this.step.appendChild(el("details", { "class": "tx-walk-more" }, [
          el("summary", { text: "More about this question" }), help]));
      }
    }
    this.back.disabled = walk.path.length === 0;
    this.restart.disabled = walk.path.length === 0;
    if (announcement) {
      this.status.textContent = announcement + " " + (walk.result ? "Result: " + tree.entries[walk.result].title + "."
        : "Step " + (walk.steps.length + 1) + ": " + tree.questions[walk.current].question);
    }
    if (moveFocus) {
      heading.focus({ preventScroll: true });
      this.reveal(heading);
    }
  };

  var activeWalk = null;

  function initWalk() {
    var root = document.getElementById("tx-walk");
    if (!root) {
      activeWalk = null;
      return;
    }
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var tree = JSON.parse(root.getAttribute("data-tree"));
    root.hidden = false;
    activeWalk = new Walk(root, tree);
    var walk = readWalk(tree);
    activeWalk.render(walk, "", false);
    /* Arriving mid-walk (a shared link, or Back from a result): show the walk, not the top of the page. */
    if (walk.path.length && !window.location.hash) activeWalk.step.scrollIntoView({ block: "start" });
  }

  /* Back and Forward between the walk's own steps. Material's instant navigation would treat such a popstate as
     a page change and fetch the page again (losing focus and scroll), so a change of step on the same page is
     handled here and hidden from it; every other popstate (another page, a #fragment only) is left to Material.
     This works because this script is loaded in the page head, before Material's, so it listens first. */
  window.addEventListener("popstate", function (event) {
    if (!activeWalk || !document.body.contains(activeWalk.root)) return;
    if (window.location.pathname !== activeWalk.pathname) return;
    var walk = readWalk(activeWalk.tree);
    if (walk.path.join(".") === activeWalk.path.join(".")) return;
    event.stopImmediatePropagation();
    var back = walk.path.length < activeWalk.path.length;
    activeWalk.pushed = Math.max(0, activeWalk.pushed + (back ? -1 : 1));
    activeWalk.render(walk, back ? "Went back." : "Went forward.", true);
  }, true);

  /* ---- Tables: opt in with class "tx-sortable" on a wrapper; a filter box above long ones ---- */

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

  /* The header's own text becomes the sort button, unless it holds a link: then a separate button follows it. */
  function sortButton(th) {
    var name = th.textContent.trim();
    var button = el("button", { type: "button", "class": "tx-sort" });
    if (th.querySelector("a, button, input, select, textarea")) {
      button.classList.add("tx-sort-icon");
      button.setAttribute("aria-label", "Sort by " + name);
      th.appendChild(button);
    } else {
      var anchors = Array.prototype.filter.call(th.childNodes, function (n) { return n.nodeType === 1 && n.id && !n.textContent; });
      Array.prototype.slice.call(th.childNodes).forEach(function (n) {
        if (anchors.indexOf(n) === -1) button.appendChild(n);
      });
      th.appendChild(button);
    }
    return button;
  }

  function enhanceTable(table) {
    if (table.dataset.enhanced || !table.tHead || !table.tBodies.length || table.tBodies[0].rows.length < 2) return;
    table.dataset.enhanced = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      sortButton(th).addEventListener("click", function () { sortTable(table, index, th); });
    });
    if (table.tBodies[0].rows.length >= FILTER_MIN_ROWS) {
      var input = el("input", { type: "search", "class": "tx-filter", placeholder: "Filter rows…",
        "aria-label": "Filter the table's rows" });
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

  /* ---- Scroll boxes: any box in the article that scrolls sideways can be focused, and says what it is ---- */

  function nearestHeading(node) {
    for (var current = node; current && current.tagName !== "ARTICLE"; current = current.parentElement) {
      for (var sibling = current.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) return sibling.textContent.replace(/¶$/, "").trim();
      }
    }
    return "";
  }

  function labelScrollBoxes() {
    document.querySelectorAll("article .md-typeset__scrollwrap, article pre > code, article .tabbed-labels").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      var labelled = box.hasAttribute("data-tx-scroll");
      if (scrolls && !labelled) {
        var what = box.classList.contains("md-typeset__scrollwrap") ? "Table" : box.tagName === "CODE" ? "Code" : "Tabs";
        var heading = nearestHeading(box);
        box.setAttribute("data-tx-scroll", "");
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) box.setAttribute("role", "region");
        box.setAttribute("aria-label", what + (heading ? " under “" + heading + "”" : "") + ", scrolls sideways");
        if (what === "Table") {
          box.parentNode.insertBefore(el("p", { "class": "tx-scroll-hint", "aria-hidden": "true",
            text: "Scroll sideways for the whole table →" }), box);
        }
      } else if (!scrolls && labelled) {
        box.removeAttribute("data-tx-scroll");
        box.removeAttribute("aria-label");
        if (box.getAttribute("role") === "region") box.removeAttribute("role");
        if (box.tagName !== "CODE") box.removeAttribute("tabindex");
        var hint = box.previousElementSibling;
        if (hint && hint.classList.contains("tx-scroll-hint")) hint.remove();
      }
    });
  }

  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(labelScrollBoxes, 150);
  });

  /* ---- Citations: the reader's date as the access date, by the edits written at build time ---- */

  function fillAccessDate() {
    var data = document.querySelector(".tx-citation-data");
    if (!data) return;
    /* Per format [head, before, after, tail]: the printed citation's first `head` characters, `before`, the
       date, `after`, its last `tail` characters (export.dated_citations). */
    var edits = JSON.parse(data.getAttribute("data-dated"));
    var today = new Date();
    var iso = [today.getFullYear(), String(today.getMonth() + 1).padStart(2, "0"),
      String(today.getDate()).padStart(2, "0")].join("-");
    Object.keys(edits).forEach(function (format) {
      var code = document.querySelector(".tx-citation-" + format + " code");
      if (!code) return;
      var printed = code.textContent.replace(/\n$/, ""), edit = edits[format];
      code.textContent = printed.slice(0, edit[0]) + edit[1] + iso + edit[2] +
        printed.slice(printed.length - edit[3]) + "\n";
    });
    data.remove();  /* done once: the printed citations are dated now */
  }

  /* ---- Content tabs: choosing a tab leaves the address alone ----
     Material makes each tab label a link to its radio input's id (pymdownx.tabbed's `__tabbed_<set>_<tab>`) and,
     on a click, writes that id into the address (history.replaceState): a reader who then copies the address
     of a citation's format tab gets `#__tabbed_1_2`, which names nothing. Tabs here choose a format, not a
     place: this listener, on the document in the capture phase, runs before Material's own one on the link, stops
     it and selects the tab itself. Registered once, it covers every page, instant navigation included. */

  function keepAddressOnTabs(event) {
    var target = event.target instanceof Element ? event.target : null;
    var link = target && target.closest(".tabbed-labels > label > a[href^='#__tabbed_']");
    if (!link || event.metaKey || event.ctrlKey || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    var input = document.getElementById(link.parentElement.htmlFor);
    if (input && !input.checked) input.click();
  }

  document.addEventListener("click", keepAddressOnTabs, true);

  /* ---- Print: the target of each link that leaves the site, for the stylesheet to print after it. Links
     within the site (cross-references, citations, claim labels) print as their text: on paper their address
     says less than their words, and inline it would bury the sentence. ---- */

  function markPrintTargets() {
    document.querySelectorAll("article a[href]").forEach(function (link) {
      if (link.origin === window.location.origin || !/^https?:$/.test(link.protocol) ||
          link.matches(".headerlink, .tx-cite, .tx-claim, .footnote-ref, .footnote-backref") ||
          !link.closest("p, li, dd")) return;
      var raw = link.getAttribute("href");
      var text = link.textContent.trim();
      if (text === link.href || text === raw) return;
      link.setAttribute("data-tx-print-href", link.href);
    });
  }

  function init() {
    initWalk();
    fillAccessDate();
    document.querySelectorAll("article .tx-sortable table").forEach(enhanceTable);
    markPrintTargets();
    labelScrollBoxes();
  }

  function start() {
    if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
      window.document$.subscribe(init);  /* Material: runs on every page, including instant navigation */
    } else {
      init();
    }
  }

  /* Loaded in the head (see overrides/main.html): start once the page, and Material's script, are parsed. */
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
