/* Editions: the version selector on every page, the banner on every page of a frozen edition, and the comparison
   of an entry between two editions on the editions page. Served by the current site at <root>assets/editions.js
   and loaded by the current site's pages (overrides/main.html) and by every page of a frozen edition (`make
   editions` adds the script tag when it assembles the site; the stored bytes stay as they are). It reads
   <root>versions.json (written by `make editions`), <root>migration.json (today's id of every id of every
   release) and each edition's taxonomy.json, all from the same site: no third-party request. Every text it shows
   from those files goes in through textContent, never as markup. */
(function () {
  "use strict";
  if (window.txEditionsLoaded) return;  /* a later edition's own copy defers to the current site's, loaded first */
  window.txEditionsLoaded = true;

  var EDITIONS_DIR = "v";
  var CURRENT = "current";
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : window.location.href);
  var cache = {};

  function getJson(url) {
    if (!cache[url]) {
      cache[url] = window.fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      });
    }
    return cache[url];
  }

  function versionsList() {
    return getJson(new URL("versions.json", root).href).catch(function () { return null; });
  }

  /* Where this page is: its edition ("current" at the root) and its path inside that edition. */
  function place() {
    var path = window.location.pathname;
    var rel = path.indexOf(root.pathname) === 0 ? path.slice(root.pathname.length) : path.replace(/^\//, "");
    var match = new RegExp("^" + EDITIONS_DIR + "/(\\d+\\.\\d+\\.\\d+)/(.*)$").exec(rel);
    return match ? { version: match[1], page: match[2] } : { version: CURRENT, page: rel };
  }

  function editionRoot(version) {
    return version === CURRENT ? root : new URL(EDITIONS_DIR + "/" + version + "/", root);
  }

  function entryOf(page) {
    var match = /^taxonomy\/([a-z0-9]+(?:-[a-z0-9]+)*)\/(?:index\.html)?$/.exec(page);
    return match ? match[1] : null;
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function link(href, text) { return element("a", { href: href }, [text]); }

  function findVersion(list, version) {
    return (list || []).filter(function (item) { return item.version === version; })[0] || null;
  }

  /* --- the selector --- */

  function selector(list, here) {
    var old = document.querySelector(".tx-editions");
    if (old) old.remove();
    if (!list || list.length < 2) return;
    var select = element("select", { "aria-label": "Edition", id: "tx-edition-select" });
    list.forEach(function (item) {
      var option = element("option", { value: item.version }, [item.title || item.version]);
      if (item.version === here.version) option.selected = true;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      var item = findVersion(list, select.value);
      if (item) pageIn(item.version, here).then(function (href) { window.location.href = href; });
    });
    var box = element("div", { class: "tx-editions" }, [element("label", { for: "tx-edition-select" },
      ["Edition"]), select]);
    var header = document.querySelector(".md-header__inner");
    var before = header && header.querySelector(".md-header__source");
    if (header) header.insertBefore(box, before);
    else document.body.insertBefore(box, document.body.firstChild);
  }

  /* --- the banner on a frozen edition's pages --- */

  /* Today's id of an id of release `version`, through renames and retirements (migration.json), or the id itself. */
  function currentId(version, id) {
    return getJson(new URL("migration.json", root).href).then(function (map) {
      var release = (map.releases || []).filter(function (r) { return r.version === version; })[0];
      var fate = release && release.ids ? release.ids[id] : null;
      if (!fate) return { id: id, status: "unknown" };
      return { id: fate.status === "retired" && fate.replaced_by ? fate.replaced_by : fate.current,
               status: fate.status, retired: fate.status === "retired" ? fate.current : null };
    }).catch(function () { return { id: id, status: "unknown" }; });
  }

  /* The address of this page in edition `version`: an entry's page under the id it had there (through renames,
     from the migration map), or the edition's overview if it had no such entry; any other page at the same path. */
  function pageIn(version, here) {
    var entry = entryOf(here.page), same = new URL(here.page, editionRoot(version)).href + window.location.hash;
    if (!entry) return Promise.resolve(same);
    return getJson(new URL("migration.json", root).href).then(function (map) {
      var ids = function (v) {
        var release = (map.releases || []).filter(function (r) { return r.version === v; })[0];
        return (release && release.ids) || {};
      };
      var fate = here.version === CURRENT ? null : ids(here.version)[entry];
      var now = fate ? fate.current : entry;
      if (version === CURRENT) return new URL("taxonomy/" + now + "/", root).href + window.location.hash;
      var there = ids(version), old = Object.keys(there).filter(function (id) { return there[id].current === now; })[0];
      return old ? new URL("taxonomy/" + old + "/", editionRoot(version)).href + window.location.hash :
        new URL("taxonomy/", editionRoot(version)).href;
    }).catch(function () { return same; });
  }

  function banner(list, here) {
    var old = document.querySelector(".tx-edition-banner");
    if (old) old.remove();
    if (here.version === CURRENT) return;
    var item = findVersion(list, here.version) || { version: here.version, date: null, rebuilt: null };
    var entry = entryOf(here.page);
    var target = entry ? currentId(here.version, entry) : Promise.resolve(null);
    return target.then(function (found) {
      var replaced = found && found.status === "retired" && found.id !== found.retired;
      var today = (found ? new URL("taxonomy/" + found.id + "/", root).href : new URL(here.page, root).href) +
        (replaced ? "" : window.location.hash);  /* a renamed entry's page keeps its former section anchors */
      var changed = entry ? new URL("editions/?entry=" + encodeURIComponent(entry) + "&from=" +
        encodeURIComponent(here.version) + "&to=" + CURRENT, root).href : new URL("changes/", root).href;
      var what = "You are reading edition " + item.version + (item.date ? " of " + item.date : "") +
        " of this site, as frozen when it was released" + (item.rebuilt ? " (rebuilt on " + item.rebuilt +
        " from the commit that dated it)" : "") + ". ";
      var moved = found && found.status === "renamed" ? " (renamed since: " + found.id + ")" :
        found && found.status === "retired" ? (found.id !== found.retired ? " (retired since; replaced by " +
        found.id + ")" : " (retired since)") : "";
      var box = element("div", { class: "admonition warning tx-edition-banner", role: "note" }, [
        element("p", { class: "admonition-title" }, ["Edition " + item.version]),
        element("p", {}, [what, link(today, entry ? "Read this entry in the current edition" :
          "Read this page in the current edition"), moved + " · ", link(changed, entry ?
          "What changed in this entry since" : "What changed since")])]);
      var article = document.querySelector("article.md-content__inner") || document.body;
      article.insertBefore(box, article.firstChild);
    });
  }

  /* --- comparing an entry between two editions --- */

  function words(text) { return (text || "").split(/(\s+)/).filter(function (t) { return t.length; }); }

  /* A word-level diff: [op, text] with op "=", "-" (only in the older text) or "+" (only in the newer). */
  function diff(older, newer) {
    var a = words(older), b = words(newer), n = a.length, m = b.length, i, j;
    var lcs = new Array(n + 1);
    for (i = 0; i <= n; i++) lcs[i] = new Uint32Array(m + 1);
    for (i = n - 1; i >= 0; i--) {
      for (j = m - 1; j >= 0; j--) {
        lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    var out = [];
    function push(op, text) {
      if (out.length && out[out.length - 1][0] === op) out[out.length - 1][1] += text;
      else out.push([op, text]);
    }
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { push("=", a[i]); i++; j++; }
      else if (lcs[i + 1][j] >= lcs[i][j + 1]) { push("-", a[i]); i++; }
      else { push("+", b[j]); j++; }
    }
    for (; i < n; i++) push("-", a[i]);
    for (; j < m; j++) push("+", b[j]);
    return out;
  }

  function diffNode(older, newer) {
    var box = element("p", { class: "tx-diff" });
    diff(older, newer).forEach(function (part) {
      box.appendChild(part[0] === "=" ? document.createTextNode(part[1]) :
        element(part[0] === "+" ? "ins" : "del", {}, [part[1]]));
    });
    return box;
  }

  /* An entry's sections from its Markdown body: id -> {title, text}, in order. */
  function sections(entry) {
    var found = [], current = null;
    ((entry && entry.markdown) || "").split("\n").forEach(function (line) {
      var heading = /^##\s+(.*?)\s*\{#([A-Za-z0-9_-]+)\}\s*$/.exec(line);
      if (heading) { current = { id: heading[2], title: heading[1], text: "" }; found.push(current); }
      else if (current) current.text += line + "\n";
    });
    return found;
  }

  function family(editions, id) {
    var ids = {};
    ids[id] = true;
    editions.forEach(function (data) {
      (data.entries || []).forEach(function (e) {
        var names = [e.id].concat(e.former_ids || []);
        if (names.some(function (n) { return ids[n]; })) names.forEach(function (n) { ids[n] = true; });
      });
    });
    return ids;
  }

  function matching(data, ids) {
    return (data.entries || []).filter(function (e) {
      return [e.id].concat(e.former_ids || []).some(function (n) { return ids[n]; });
    })[0] || null;
  }

  function compareEntry(out, list, fromVersion, toVersion, id) {
    out.replaceChildren(element("p", {}, ["Loading…"]));
    var urls = [fromVersion, toVersion].map(function (v) { return new URL("taxonomy.json", editionRoot(v)).href; });
    return Promise.all(urls.map(getJson)).then(function (both) {
      var ids = family(both, id), older = matching(both[0], ids), newer = matching(both[1], ids);
      var label = function (v) { var item = findVersion(list, v); return item ? item.title : v; };
      var parts = [element("h3", {}, [(newer || older || { title: id }).title + ": " + label(fromVersion) + " → " +
        label(toVersion)])];
      if (!older && !newer) parts.push(element("p", {}, ["Neither edition has an entry " + id + "."]));
      else if (!older) parts.push(element("p", { class: "tx-diff-added" }, ["Not in " + fromVersion + ": added later."]));
      else if (!newer) parts.push(element("p", { class: "tx-diff-removed" }, ["Not in " + toVersion + "."]));
      if (older && newer) {
        if (older.id !== newer.id) {
          parts.push(element("p", { class: "tx-diff-renamed" }, ["Renamed: " + older.id + " → " + newer.id + "."]));
        }
        if (older.status !== "deprecated" && newer.status === "deprecated") {
          parts.push(element("p", { class: "tx-diff-retired" }, ["Retired: " + (newer.status_note || "") +
            (newer.replaced_by ? " Replaced by " + newer.replaced_by + "." : "")]));
        }
        if (older.title !== newer.title) parts.push(element("h4", {}, ["Title"]), diffNode(older.title, newer.title));
        parts.push(element("h4", {}, ["Summary"]), older.summary === newer.summary ?
          element("p", {}, ["Unchanged."]) : diffNode(older.summary, newer.summary));
        var before = sections(older), after = sections(newer);
        var renamedAnchors = newer.former_anchors || {};
        after.forEach(function (section) {
          var old = before.filter(function (s) {
            return s.id === section.id || renamedAnchors[s.id] === section.id;
          })[0];
          parts.push(element("h4", {}, ["Section: " + section.title + " (#" + section.id + ")"]));
          if (!old) parts.push(element("p", { class: "tx-diff-added" }, ["Added."]), diffNode("", section.text));
          else if (old.text === section.text && old.title === section.title) {
            parts.push(element("p", {}, ["Unchanged."]));
          } else {
            if (old.title !== section.title) parts.push(diffNode(old.title, section.title));
            parts.push(diffNode(old.text, section.text));
          }
          before = before.filter(function (s) { return s !== old; });
        });
        before.forEach(function (section) {
          parts.push(element("h4", {}, ["Section: " + section.title + " (#" + section.id + ")"]),
            element("p", { class: "tx-diff-removed" }, ["Removed."]), diffNode(section.text, ""));
        });
      }
      out.replaceChildren.apply(out, parts);
    }).catch(function (error) {
      out.replaceChildren(element("p", {}, ["Could not load the editions to compare (" + error.message + ")."]));
    });
  }

  function comparePage(list) {
    var box = document.getElementById("tx-compare-editions");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var params = new URLSearchParams(window.location.search);
    var all = list || [{ version: CURRENT, title: "Current" }];
    function choice(name, label, value) {
      var select = element("select", { id: "tx-compare-" + name, name: name });
      all.forEach(function (item) {
        var option = element("option", { value: item.version }, [item.title || item.version]);
        if (item.version === value) option.selected = true;
        select.appendChild(option);
      });
      return [element("label", { for: "tx-compare-" + name }, [label]), select];
    }
    var oldest = all[all.length - 1].version;
    var from = choice("from", "From edition", params.get("from") || oldest);
    var to = choice("to", "To edition", params.get("to") || CURRENT);
    var entry = element("select", { id: "tx-compare-entry", name: "entry" });
    var out = element("div", { class: "tx-compare-result", "aria-live": "polite" });
    var form = element("form", { class: "tx-compare-form" }, from.concat(to, [element("label",
      { for: "tx-compare-entry" }, ["Entry"]), entry]));
    var listed = element("ul", { class: "tx-editions-list" }, all.map(function (item) {
      return element("li", {}, [link(editionRoot(item.version).href, item.title || item.version)].concat(
        item.commit ? [" · built from commit ", element("code", {}, [item.commit.slice(0, 12)])] : []));
    }));
    box.replaceChildren(listed, form, out);
    function run() {
      var query = "?entry=" + encodeURIComponent(entry.value) + "&from=" + encodeURIComponent(from[1].value) +
        "&to=" + encodeURIComponent(to[1].value);
      window.history.replaceState(null, "", window.location.pathname + query);
      compareEntry(out, all, from[1].value, to[1].value, entry.value);
    }
    getJson(new URL("taxonomy.json", root).href).then(function (data) {
      var wanted = params.get("entry");
      var ids = wanted ? family([data], wanted) : {};
      (data.entries || []).forEach(function (e) {
        var option = element("option", { value: e.id }, [e.title + " (" + e.id + ")"]);
        if (ids[e.id]) option.selected = true;
        entry.appendChild(option);
      });
      if (wanted && !ids[entry.value]) entry.appendChild(element("option", { value: wanted, selected: "" }, [wanted]));
      [from[1], to[1], entry].forEach(function (select) { select.addEventListener("change", run); });
      if (wanted) run();
    }).catch(function (error) {
      out.replaceChildren(element("p", {}, ["Could not load this site's taxonomy.json (" + error.message + ")."]));
    });
  }

  function init() {
    var here = place();
    versionsList().then(function (list) {
      selector(list, here);
      comparePage(list);
      return banner(list, here);
    });
  }

  function start() {
    var link = element("link", { rel: "stylesheet", href: new URL("assets/editions.css", root).href });
    document.head.appendChild(link);
    if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(init);
    else init();
  }

  window.txEditions = { diff: diff };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
