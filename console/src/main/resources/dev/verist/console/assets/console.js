// The Verist console: three pages over the console's JSON API. Every text from the store is set as a text node
// (never as markup), so a payload holding <script> shows as those characters.
"use strict";

(function () {
  const main = document.getElementById("main");
  let csrfToken = null;

  // ------------------------------------------------------------------------------------------ DOM and API

  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  function json(value) {
    return h("pre", { class: "json" }, value === undefined ? "" : JSON.stringify(value, null, 2));
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : "";
  }

  class ApiError extends Error {
    constructor(body) {
      super(body.message || "the call failed");
      this.field = body.field;
      this.code = body.error;
    }
  }

  async function api(method, path, body) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-Verist-Csrf"] = csrfToken;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const type = response.headers.get("Content-Type") || "";
    if (!type.startsWith("application/json")) {
      window.location.reload(); // the session ended: the server's login page takes over
      throw new ApiError({ message: "signed out" });
    }
    const answer = await response.json();
    if (!response.ok) throw new ApiError(answer);
    return answer;
  }

  function problem(error) {
    return h("p", { class: "error", role: "alert" },
      error.field ? error.field + ": " + error.message : error.message);
  }

  // An action button: runs the call, shows its error next to it, and redraws the page when it succeeds.
  function action(label, className, call) {
    const button = h("button", { type: "button", class: className });
    button.textContent = label;
    button.addEventListener("click", async () => {
      const place = button.closest(".card, section, form") || main;
      place.querySelectorAll(".error").forEach((e) => e.remove());
      button.disabled = true;
      try {
        await call();
        await route();
      } catch (error) {
        place.append(problem(error));
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  function parseJson(text, field) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new ApiError({ field, message: "is not valid JSON (" + e.message + ")" });
    }
  }

  function runLink(workflowId, runId) {
    const query = new URLSearchParams({ workflowId, runId });
    return h("a", { href: "#/run?" + query }, workflowId + " / " + runId);
  }

  // ------------------------------------------------------------------------------------------ pages

  async function inbox(query) {
    const workflowId = query.get("workflowId") || "";
    const type = query.get("type") || "";
    const beforeId = query.get("beforeId") || "";
    const answer = await api("GET", "api/inbox?" + new URLSearchParams({ workflowId, type, beforeId }));
    const filter = h("form", { class: "inline", id: "inbox-filter", onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      location.hash = "#/inbox?" + new URLSearchParams({ workflowId: data.get("workflowId"), type: data.get("type") });
    } },
      h("label", {}, "Workflow", h("input", { name: "workflowId", value: workflowId })),
      h("label", {}, "Type", h("select", { name: "type" },
        h("option", { value: "", selected: type === "" }, "any"),
        h("option", { value: "review", selected: type === "review" }, "review"),
        h("option", { value: "suspend", selected: type === "suspend" }, "suspend"))),
      h("button", { type: "submit", class: "secondary" }, "Filter"));
    const cards = answer.blocks.map(blockCard);
    return [h("h2", {}, "Inbox"), filter,
      cards.length ? cards : h("p", { class: "muted", id: "inbox-empty" }, "Nothing waits for a person."),
      pager(beforeId ? "#/inbox?" + new URLSearchParams({ workflowId, type }) : null,
        answer.nextBeforeId ? "#/inbox?" + new URLSearchParams({ workflowId, type, beforeId: answer.nextBeforeId })
          : null, "Newest", "Older")];
  }

  function blockCard(block) {
    const card = h("article", { class: "card block", "data-run": block.workflowId + "/" + block.runId },
      h("header", {}, h("span", { class: "tag" }, block.type), runLink(block.workflowId, block.runId),
        h("span", { class: "muted" }, "step " + block.stepId + " · " + when(block.createdAt))),
      h("p", { class: "reason" }, block.reason),
      h("div", { class: "grid" },
        h("div", {}, h("h3", {}, "Payload"), json(block.payload)),
        h("div", {}, h("h3", {}, "Effective state"), json(block.effective))));
    const target = { workflowId: block.workflowId, runId: block.runId };
    if (block.type === "review") {
      card.append(h("div", { class: "actions" },
        action("Approve", "approve", () => api("POST", "api/resolve", { ...target, approved: true })),
        action("Reject", "reject danger", () => api("POST", "api/resolve", { ...target, approved: false }))));
    } else {
      const data = h("textarea", { class: "resume-data", "aria-label": "Resume data (JSON)" });
      data.value = "{}";
      card.append(h("label", {}, "Resume data (JSON)", data), h("div", { class: "actions" },
        action("Resume", "resume", () =>
          api("POST", "api/resolve", { ...target, resumeData: parseJson(data.value, "resumeData") }))));
    }
    return card;
  }

  async function run(query) {
    const workflowId = query.get("workflowId");
    const runId = query.get("runId");
    const answer = await api("GET", "api/run?" + new URLSearchParams({ workflowId, runId }));
    const state = answer.state;
    const key = h("input", { id: "overlay-key", name: "key", required: true });
    const value = h("textarea", { id: "overlay-value", name: "value" });
    const overlay = h("form", { class: "inline", id: "overlay-form", onsubmit: (e) => e.preventDefault() },
      h("label", {}, "Key", key), h("label", {}, "Value (JSON)", value),
      action("Set overlay", "overlay-set", () => api("POST", "api/overlay",
        { workflowId, runId, key: key.value, value: parseJson(value.value, "value") })));
    return [
      h("h2", {}, "Run ", runLink(workflowId, runId)),
      h("section", { id: "state", class: "card" },
        h("p", {}, "Version " + state.version + " · updated " + when(state.updatedAt)),
        h("div", { class: "grid" },
          h("div", {}, h("h3", {}, "Computed"), json(state.computed)),
          h("div", {}, h("h3", {}, "Overlay"), json(state.overlay)),
          h("div", {}, h("h3", {}, "Effective"), json(state.effective))),
        h("h3", {}, "Correct a key (overlay)"), overlay),
      h("section", { id: "blocks", class: "card" }, h("h3", {}, "Blocks"),
        answer.blocks.length ? answer.blocks.map((block) => block.resolvedAt
          ? h("div", { class: "resolved-block" },
            h("span", { class: "tag" }, block.type), " ", block.reason,
            h("span", { class: "muted" }, " · step " + block.stepId + " · resolved " + when(block.resolvedAt)),
            json(block.resolution))
          : blockCard({ ...block, effective: state.effective })) : h("p", { class: "muted" }, "None")),
      h("section", { id: "trail", class: "card" }, h("h3", {}, "Audit trail"),
        paged(h("ol", { class: "trail" }), answer.events, eventItem, "More events", "more-events",
          (afterId) => api("GET", "api/events?" + new URLSearchParams({ workflowId, runId, afterId })))),
      h("section", { id: "run-outbox", class: "card" }, h("h3", {}, "Outbox"),
        answer.outbox.items.length
          ? paged(emptyEntryTable(), answer.outbox, (entry) => entryRow(entry, false), "More entries",
            "more-entries",
            (afterId) => api("GET", "api/run-outbox?" + new URLSearchParams({ workflowId, runId, afterId })))
          : h("p", { class: "muted" }, "None")),
    ];
  }

  // A list shown a page at a time: the first page, then a button that appends the next one while there is one.
  function paged(list, page, item, label, className, load) {
    const items = list.tBodies ? list.tBodies[0] : list;
    const more = h("button", { type: "button", class: "secondary " + className }, label);
    const show = (answer) => {
      items.append(...answer.items.map(item));
      more.hidden = !answer.nextAfterId;
      more.dataset.afterId = answer.nextAfterId || "";
    };
    const failure = h("div", {});
    more.addEventListener("click", async () => {
      failure.replaceChildren();
      try {
        show(await load(more.dataset.afterId));
      } catch (error) {
        failure.replaceChildren(problem(error));
      }
    });
    show(page);
    return [list, failure, h("p", {}, more)];
  }

  function eventItem(event) {
    const trace = event.llmTrace;
    return h("li", { class: "event" },
      h("span", { class: "tag" }, event.type), " ", h("span", { class: "muted" },
        "step " + event.stepId + " · " + when(event.createdAt)),
      event.payload === null ? null : json(event.payload),
      trace ? h("div", { class: "trace" },
        h("p", {}, trace.model + " · " + trace.promptTokens + " + " + trace.completionTokens + " tokens · "
          + trace.durationMs + " ms"),
        h("p", { class: "muted" }, "input " + trace.inputHash + " · output " + trace.outputHash),
        trace.input === null || trace.input === undefined ? null : h("div", {}, "Input", json(trace.input)),
        trace.output === null || trace.output === undefined ? null : h("div", {}, "Output", json(trace.output)))
        : null);
  }

  function entryTable(entries, requeue) {
    if (!entries.length) return h("p", { class: "muted" }, "None");
    const table = emptyEntryTable();
    table.tBodies[0].append(...entries.map((entry) => entryRow(entry, requeue)));
    return table;
  }

  function emptyEntryTable() {
    return h("table", {},
      h("thead", {}, h("tr", {},
        ["Id", "Run", "Command", "Status", "Attempts", "Last error", "Action"].map((t) => h("th", {}, t)))),
      h("tbody", {}));
  }

  function entryRow(entry, requeue) {
    return h("tr", { class: "entry", "data-id": entry.id },
      h("td", {}, entry.id),
      h("td", {}, runLink(entry.workflowId, entry.runId)),
      h("td", {}, json(entry.command)),
      h("td", {}, h("span", { class: "tag " + entry.status }, entry.status)),
      h("td", {}, String(entry.attempts)),
      h("td", { class: "last-error" }, entry.lastError || ""),
      h("td", {}, requeue ? action("Requeue", "requeue", () => api("POST", "api/requeue", { outboxId: entry.id }))
        : null));
  }

  // Links to the first page and to the next one, each when there is one.
  function pager(first, next, firstLabel, nextLabel) {
    if (!first && !next) return null;
    return h("nav", { class: "actions pager", "aria-label": "Pages" },
      first ? h("a", { href: first, class: "first-page" }, firstLabel) : null,
      next ? h("a", { href: next, class: "next-page" }, nextLabel) : null);
  }

  async function outbox(query) {
    const afterId = query.get("afterId") || "";
    const answer = await api("GET", "api/outbox?" + new URLSearchParams({ afterId }));
    const stats = answer.stats;
    const workflow = h("input", { id: "requeue-workflow", name: "workflowId", placeholder: "all workflows" });
    return [
      h("h2", {}, "Outbox"),
      h("section", { id: "stats", class: "card" },
        h("table", {}, h("tbody", {},
          Object.entries(stats.counts).map(([status, n]) => h("tr", { "data-status": status },
            h("th", {}, status), h("td", {}, String(n)))),
          h("tr", {}, h("th", {}, "oldest due entry"),
            h("td", {}, stats.oldestPendingAgeSeconds === null ? "none" : stats.oldestPendingAgeSeconds + " s")),
          h("tr", {}, h("th", {}, "expired leases"), h("td", {}, String(stats.expiredLeases))),
          h("tr", {}, h("th", {}, "waiting retries"), h("td", {}, String(stats.waitingRetries)))))),
      h("section", { id: "dead-letters", class: "card" }, h("h3", {}, "Dead letters"),
        h("form", { class: "inline", onsubmit: (e) => e.preventDefault() }, h("label", {}, "Workflow", workflow),
          action("Requeue all", "requeue-all secondary", () => api("POST", "api/requeue-failed",
            { workflowId: workflow.value.trim() === "" ? null : workflow.value.trim() }))),
        entryTable(answer.deadLetters, true),
        pager(afterId ? "#/outbox" : null,
          answer.nextAfterId ? "#/outbox?" + new URLSearchParams({ afterId: answer.nextAfterId }) : null,
          "First dead letters", "More dead letters")),
    ];
  }

  // ------------------------------------------------------------------------------------------ routing

  const pages = { "/inbox": inbox, "/run": run, "/outbox": outbox };

  async function route() {
    const hash = location.hash.replace(/^#/, "") || "/inbox";
    const [path, search] = hash.split("?");
    const page = pages[path] || inbox;
    for (const link of document.querySelectorAll("body > header nav a")) {
      link.toggleAttribute("aria-current", link.getAttribute("href") === "#" + path);
      if (link.hasAttribute("aria-current")) link.setAttribute("aria-current", "page");
    }
    try {
      const content = await page(new URLSearchParams(search || ""));
      main.replaceChildren(...[content].flat(Infinity));
    } catch (error) {
      main.replaceChildren(h("h2", {}, "Could not load the page"), problem(error));
    }
    document.body.dataset.page = path.slice(1);
    document.body.dataset.loaded = String(Date.now());
  }

  // Ends the session on the server, then loads the console again: the server's sign-in takes over.
  async function signOut() {
    try {
      await api("POST", "api/sign-out", {});
    } finally {
      window.location.replace("./");
    }
  }

  async function start() {
    try {
      const session = await api("GET", "api/session");
      csrfToken = session.csrfToken;
      document.getElementById("user").textContent = session.user;
      document.getElementById("sign-out").addEventListener("click", signOut);
    } catch (error) {
      main.replaceChildren(problem(error));
      return;
    }
    window.addEventListener("hashchange", route);
    await route();
  }

  start();
})();
