/* The SPARQL editor at /sparql (issue 3 item 4): a highlighted editor, the example catalogue,
 * running a query through the SPARQL 1.1 Protocol, result tables that link to record pages,
 * downloads and a shareable URL. No inline script (CSP script-src 'self'), nothing from elsewhere.
 */
(function () {
  "use strict";

  const form = document.getElementById("sparql-form");
  if (!form) return;
  const input = document.getElementById("query");
  const pre = document.getElementById("highlight");
  const code = pre.querySelector("code");
  const runButton = document.getElementById("run");
  const copyButton = document.getElementById("copy-link");
  const statusBox = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const truncatedBox = document.getElementById("truncated");
  const downloads = document.getElementById("downloads");
  const results = document.getElementById("results");
  const endpoint = form.dataset.endpoint || "/sparql";
  const lang = form.dataset.lang || document.documentElement.lang || "en";
  // an explicitly chosen interface language stays in the shareable URL (web/i18n.py)
  const chosenLang = new URL(window.location.href).searchParams.get("lang");
  const pluralRules = new Intl.PluralRules(lang);

  // messages come translated in the form's data-msg-* attributes; {name} is filled in
  function t(key, values) {
    const name = "msg" + key.replace(/(^|-)([a-z])/g, (m, dash, c) => c.toUpperCase());
    const text = form.dataset[name] || key;
    return text.replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? String(values[k]) : m));
  }

  const PREFIXES = {
    schema: "http://schema.org/",
    dcterms: "http://purl.org/dc/terms/",
    skos: "http://www.w3.org/2004/02/skos/core#",
    rikg: "https://w3id.org/rikg/ns#",
    owl: "http://www.w3.org/2002/07/owl#",
    prov: "http://www.w3.org/ns/prov#",
    rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    xsd: "http://www.w3.org/2001/XMLSchema#",
  };
  const XSD_STRING = PREFIXES.xsd + "string";
  const RDF_LANGSTRING = PREFIXES.rdf + "langString";
  // plain to read without a datatype: numbers and booleans (the datatype stays in the tooltip)
  const SELF_EVIDENT = new Set(["integer", "decimal", "double", "boolean"].map((t) => PREFIXES.xsd + t));
  const SELECT_FORMATS = [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"], ["xml", "XML"]];
  const GRAPH_FORMATS = [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"], ["rdfxml", "RDF/XML"]];

  // --- highlighting: one regular expression, tried left to right --------------------------
  const TOKEN = new RegExp(
    [
      /(#[^\n]*)/.source, // comment
      /(<[^<>"{}|^`\\\s]*>)/.source, // IRI
      /("""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)/.source,
      /([?$][\w\u00B7-\uFFFF]+)/.source, // variable
      /((?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:(?:[\w\-%\u00B7-\uFFFF]|\.(?=[\w\-%]))*)/.source,
      /(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)/.source, // language tag
      /([+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))/.source, // number
      /([A-Za-z_]\w*)/.source, // word: a keyword or nothing special
    ].join("|"),
    "g"
  );
  const CLASSES = ["comment", "iri", "string", "var", "pname", "lang", "number"];
  const KEYWORDS = new Set(
    ("select construct describe ask where from named prefix base distinct reduced optional filter " +
      "union minus graph service silent bind as values group by order asc desc having limit offset " +
      "not exists in a true false undef count sum min max avg sample group_concat separator str " +
      "lang langmatches datatype bound iri uri bnode rand abs ceil floor round concat strlen ucase " +
      "lcase encode_for_uri contains strstarts strends strbefore strafter year month day hours " +
      "minutes seconds timezone tz now uuid struuid md5 sha1 sha256 sha384 sha512 coalesce if " +
      "strlang strdt sameterm isiri isuri isblank isliteral isnumeric regex substr replace insert " +
      "delete data load clear drop create add move copy with using default all to into").split(" ")
  );

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }

  function highlight(text) {
    let html = "";
    let last = 0;
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
      html += escapeHtml(text.slice(last, m.index));
      last = TOKEN.lastIndex;
      const kind = CLASSES[m.slice(1, 8).findIndex((g) => g !== undefined)];
      const word = m[8];
      if (kind) html += `<span class="tok-${kind}">${escapeHtml(m[0])}</span>`;
      else if (word && KEYWORDS.has(word.toLowerCase())) html += `<span class="tok-keyword">${escapeHtml(word)}</span>`;
      else html += escapeHtml(m[0]);
    }
    return html + escapeHtml(text.slice(last));
  }

  function refresh() {
    // a trailing newline would collapse in the <pre>: keep one extra line so both stay in step
    code.innerHTML = highlight(input.value) + "\n ";
    syncScroll();
  }

  function syncScroll() {
    pre.scrollTop = input.scrollTop;
    pre.scrollLeft = input.scrollLeft;
  }

  // --- the query's form (SELECT, ASK, CONSTRUCT, DESCRIBE) --------------------------------
  function queryForm(text) {
    TOKEN.lastIndex = 0;
    const body = text.replace(TOKEN, (token, comment) => (comment ? " " : token));
    const rest = body.replace(/^(\s*(BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>))*\s*/i, "");
    const match = /^(SELECT|CONSTRUCT|DESCRIBE|ASK)\b/i.exec(rest);
    return match ? match[1].toUpperCase() : "SELECT";
  }

  function declaredPrefixes(text) {
    const found = { ...PREFIXES };
    const re = /PREFIX\s+([^\s:]*):\s*<([^>]*)>/gi;
    for (let m = re.exec(text); m; m = re.exec(text)) found[m[1]] = m[2];
    return found;
  }

  function compact(iri, prefixes) {
    let best = null;
    for (const [name, ns] of Object.entries(prefixes)) {
      if (ns && iri.startsWith(ns) && /^[\w-]*$/.test(iri.slice(ns.length)) && (!best || ns.length > best[1].length)) {
        best = [name, ns];
      }
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : null;
  }

  // --- rendering ------------------------------------------------------------------------
  function element(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, value);
    for (const child of children) if (child !== null) el.append(child);
    return el;
  }

  function renderIri(iri, prefixes) {
    const origin = window.location.origin + "/";
    if (iri.startsWith(origin)) {
      const path = iri.slice(origin.length - 1);
      const short = path.startsWith("/id/") ? path.slice(4) : path;
      return path.startsWith("/id/")
        ? element("a", { href: path, class: "record", title: iri }, short)
        : element("span", { class: "iri", title: iri }, short);
    }
    const label = compact(iri, prefixes) || iri;
    if (/^https?:\/\//.test(iri)) {
      return element("a", { href: iri, class: "external", rel: "noopener noreferrer", title: iri }, label);
    }
    return element("span", { class: "iri", title: iri }, label);
  }

  function renderTerm(term, prefixes) {
    if (!term) return "";
    if (term.type === "uri") return renderIri(term.value, prefixes);
    if (term.type === "bnode") return element("span", { class: "bnode" }, "_:" + term.value);
    const cell = document.createDocumentFragment();
    const lang = term["xml:lang"];
    // a tagged literal is read out in its own language (WCAG 2.1 SC 3.1.2)
    cell.append(element("span", lang ? { class: "literal", lang } : { class: "literal" }, term.value));
    if (lang) {
      cell.append(element("span", { class: "lang", title: t("language", { lang }) }, "@" + lang));
    } else if (SELF_EVIDENT.has(term.datatype)) {
      cell.firstChild.setAttribute("title", compact(term.datatype, prefixes));
    } else if (term.datatype && term.datatype !== XSD_STRING && term.datatype !== RDF_LANGSTRING) {
      const name = compact(term.datatype, prefixes) || term.datatype;
      cell.append(element("span", { class: "datatype", title: term.datatype }, "^^" + name));
    }
    return cell;
  }

  function renderTable(json, prefixes) {
    const vars = json.head.vars;
    const table = element("table", { class: "sparql-table" });
    table.append(element("caption", { class: "visually-hidden" }, t("results")));
    const head = element("tr");
    for (const v of vars) head.append(element("th", { scope: "col" }, v));
    table.append(element("thead", {}, head));
    const body = element("tbody");
    for (const binding of json.results.bindings) {
      const row = element("tr");
      for (const v of vars) row.append(element("td", {}, renderTerm(binding[v], prefixes)));
      body.append(row);
    }
    table.append(body);
    return table;
  }

  function plural(n, word) {
    const form = pluralRules.select(n) === "one" ? "one" : "other";
    return t(`${word}-${form}`, { n: n.toLocaleString(lang) });
  }

  function seconds(ms) {
    if (ms < 1000) return `${Math.round(ms).toLocaleString(lang)} ms`;
    const s = (ms / 1000).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return `${s} s`;
  }

  function showDownloads(text, form) {
    const formats = form === "CONSTRUCT" || form === "DESCRIBE" ? GRAPH_FORMATS : SELECT_FORMATS;
    downloads.replaceChildren(t("download") + " ");
    formats.forEach(([format, label], i) => {
      const href = `${endpoint}?query=${encodeURIComponent(text)}&format=${format}`;
      if (i) downloads.append(" · ");
      downloads.append(element("a", { href, download: `query-results.${format === "rdfxml" ? "rdf" : format}` }, label));
    });
    downloads.hidden = false;
  }

  function showError(status, body) {
    let title = t("failed-http", { status });
    let message = body;
    try {
      const json = JSON.parse(body);
      title = t("error-http", { error: json.error || t("error"), status });
      message = json.message || body;
    } catch (e) {
      message = body.slice(0, 2000);
    }
    const box = [element("p", { class: "error-title" }, title), element("pre", {}, message)];
    const where = /(?:line\s*(\d+)\D+column\s*(\d+))|(?:\bat\s+(\d+):(\d+))/i.exec(message);
    if (where) {
      const line = Number(where[1] || where[3]);
      const column = Number(where[2] || where[4]);
      const go = element("button", { type: "button", class: "secondary" }, t("goto", { line, column }));
      go.addEventListener("click", () => moveCaret(line, column));
      box.push(go);
    }
    errorBox.replaceChildren(...box);
  }

  function moveCaret(line, column) {
    const lines = input.value.split("\n");
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
    offset += Math.max(0, column - 1);
    input.focus();
    input.setSelectionRange(offset, offset);
  }

  // --- running --------------------------------------------------------------------------
  let running = null;

  async function run() {
    const text = input.value;
    if (!text.trim()) {
      statusBox.textContent = t("empty");
      return;
    }
    if (running) running.abort();
    const controller = new AbortController();
    running = controller;
    const form = queryForm(text);
    const graph = form === "CONSTRUCT" || form === "DESCRIBE";
    errorBox.replaceChildren();
    truncatedBox.hidden = true;
    runButton.disabled = true;
    results.setAttribute("aria-busy", "true");
    statusBox.textContent = t("running");
    const started = performance.now();
    let response;
    let body;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: graph ? "text/turtle" : "application/sparql-results+json",
        },
        body: new URLSearchParams({ query: text }),
        signal: controller.signal,
      });
      body = await response.text();
    } catch (e) {
      if (e.name !== "AbortError") {
        statusBox.textContent = t("not-sent");
        showError("–", t("unreachable", { reason: e.message }));
      }
      return;
    } finally {
      if (running === controller) {
        running = null;
        runButton.disabled = false;
        results.removeAttribute("aria-busy");
      }
    }
    const elapsed = performance.now() - started;
    share(text);
    if (!response.ok) {
      results.replaceChildren();
      downloads.hidden = true;
      const retry = response.headers.get("Retry-After");
      if (retry) body += "\n" + t("retry", { seconds: retry });
      showError(response.status, body);
      statusBox.textContent = t("failed-after", { time: seconds(elapsed) });
      return;
    }
    showDownloads(text, form);
    let truncated = response.headers.get("X-SPARQL-Truncated") === "true";
    const prefixes = declaredPrefixes(text);
    if (graph) {
      const rows = response.headers.get("X-SPARQL-Rows");
      const out = element("pre", { class: "graph-result" });
      out.innerHTML = highlight(body);
      results.replaceChildren(out);
      const size = rows !== null ? plural(Number(rows), "triples") : t("a-graph");
      statusBox.textContent = t("took", { size, time: seconds(elapsed) });
    } else {
      let json;
      try {
        json = JSON.parse(body);
      } catch (e) {
        showError(response.status, t("not-json") + "\n" + body.slice(0, 500));
        return;
      }
      truncated = truncated || json.truncated === true;
      if ("boolean" in json) {
        results.replaceChildren(element("p", { class: "boolean" }, json.boolean ? t("yes") : t("no")));
        statusBox.textContent = t("ask", { answer: json.boolean, time: seconds(elapsed) });
      } else {
        const count = json.results.bindings.length;
        results.replaceChildren(count ? renderTable(json, prefixes) : element("p", {}, t("no-results")));
        statusBox.textContent = t("took", { size: plural(count, "rows"), time: seconds(elapsed) });
      }
    }
    if (truncated) {
      truncatedBox.textContent = t(form === "SELECT" ? "truncated-rows" : "truncated-results");
      truncatedBox.hidden = false;
    }
  }

  // --- shareable URL and examples ---------------------------------------------------------
  function shareUrl(text) {
    const kept = chosenLang ? `&lang=${encodeURIComponent(chosenLang)}` : "";
    return `${endpoint}?query=${encodeURIComponent(text)}${kept}`;
  }

  function share(text) {
    history.replaceState({ query: text }, "", shareUrl(text));
    copyButton.hidden = false;
  }

  function queryFromUrl(url) {
    return new URL(url, window.location.href).searchParams.get("query");
  }

  function load(text) {
    input.value = text;
    input.scrollTop = 0;
    refresh();
  }

  copyButton.addEventListener("click", async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      statusBox.textContent = t("copied");
    } catch (e) {
      statusBox.textContent = t("copy-this", { url });
    }
  });

  for (const link of document.querySelectorAll("a[data-example]")) {
    link.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      const text = queryFromUrl(link.href) || "";
      load(text);
      history.pushState({ query: text }, "", shareUrl(text));
      for (const other of document.querySelectorAll("a[data-example][aria-current]")) other.removeAttribute("aria-current");
      link.setAttribute("aria-current", "true");
      copyButton.hidden = false;
      statusBox.textContent = t("loaded", { title: link.textContent });
      input.focus();
      input.setSelectionRange(0, 0);
    });
  }

  window.addEventListener("popstate", () => {
    const text = queryFromUrl(window.location.href);
    if (text !== null) {
      load(text);
      run();
    }
  });

  // --- keyboard -----------------------------------------------------------------------------
  let leaving = false; // Escape arms Tab to move focus out instead of indenting

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
      return;
    }
    if (event.key === "Escape") {
      leaving = true;
      return;
    }
    if (event.key === "Tab" && !event.shiftKey && !leaving && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      const { selectionStart: start, selectionEnd: end } = input;
      input.setRangeText("  ", start, end, "end");
      refresh();
      return;
    }
    leaving = false;
  });
  input.addEventListener("blur", () => {
    leaving = false;
  });
  input.addEventListener("input", refresh);
  input.addEventListener("scroll", syncScroll);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });

  document.documentElement.classList.add("js");
  refresh();
  if (queryFromUrl(window.location.href) !== null) run();
})();
