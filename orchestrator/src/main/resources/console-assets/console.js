// The RXON console's only script: the live timeline of a job (SSE), and refreshing the workers'
// telemetry and the charts. Loaded from /console/assets (the pages allow no inline script).
"use strict";

function text(tag, cls, value) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  node.textContent = value;
  return node;
}

function summary(event) {
  const p = event.payload || {};
  if (event.type === "progress" && p.progress !== undefined) {
    return Math.round(p.progress * 100) + " %" + (p.message ? " " + p.message : "");
  }
  if (p.status) return p.status + (p.error && p.error.message ? ": " + p.error.message : "");
  return event.worker_id ? "worker " + event.worker_id : "";
}

// A worker event relayed up a holarchy names the worker that produced it and the orchestrators it came through.
function provenance(event) {
  if (!event.bubbling_chain || event.bubbling_chain.length === 0) return "";
  return " (from " + event.origin_worker_id + " via " + event.bubbling_chain.join(" → ") + ")";
}

function followTimeline(list) {
  const terminal = new Set((list.dataset.terminal || "").split(" "));
  const state = document.getElementById("stream-state");
  const source = new EventSource(list.dataset.events);
  source.onopen = () => { state.textContent = "live"; };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    const item = document.createElement("li");
    item.dataset.type = event.type;
    item.append(text("span", "when", new Date(event.created_at).toISOString().substring(11, 19)),
      text("span", "what", event.type), text("span", "detail", summary(event) + provenance(event)));
    list.append(item);
    if (terminal.has(event.type)) {
      // The stream ends here; EventSource would otherwise reconnect and replay it.
      source.close();
      state.textContent = "ended";
      const status = document.getElementById("job-status");
      if (status && event.payload && event.payload.status) status.textContent = event.payload.status;
      if (list.dataset.live === "true") setTimeout(() => window.location.reload(), 300);
    }
  };
  source.onerror = () => {
    if (state.textContent !== "ended") state.textContent = "reconnecting…";
  };
}

async function refreshWorkers(table) {
  try {
    const response = await fetch(table.dataset.live, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    for (const worker of await response.json()) {
      const row = table.querySelector('tr[data-worker="' + CSS.escape(worker.worker_id) + '"]');
      if (!row) continue;
      for (const field of ["status", "telemetry", "tasks", "seen"]) {
        const cell = row.querySelector('[data-field="' + field + '"]');
        if (cell) cell.textContent = worker[field];
      }
    }
  } catch (error) {
    // A missed refresh is retried at the next tick.
  }
}

async function refreshCharts(holder) {
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("charts");
    if (fresh) holder.replaceChildren(...fresh.childNodes);
  } catch (error) {
    // Kept as it is until the next tick.
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const timeline = document.getElementById("timeline");
  if (timeline) followTimeline(timeline);
  const workers = document.getElementById("workers");
  if (workers && workers.dataset.live) setInterval(() => refreshWorkers(workers), 2000);
  const charts = document.getElementById("charts");
  if (charts) setInterval(() => refreshCharts(charts), Number(charts.dataset.refresh || 10) * 1000);
});
