// The driver's UI: draws what the REST API under api/v1/ answers. Every URL is relative to the
// page, so the UI works behind a path prefix (a web proxy, an ingress, kubectl port-forward).
"use strict";

const REFRESH_MS = 2000;
const W = 520, H = 110, PAD = 28, HIST_W = 160;

function esc(text) {
  return String(text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]));
}

async function getJson(url) {
  const response = await fetch(url, {cache: "no-store"});
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error || response.statusText);
  }
  return body;
}

function ms(value) {
  if (value === undefined || value === null || value < 0) return "–";
  if (value < 1000) return value + " ms";
  if (value < 60000) return (value / 1000).toFixed(1) + " s";
  const s = Math.floor(value / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return (h > 0 ? h + " h " : "") + m + " min " + (s % 60) + " s";
}

function time(epochMs) {
  return new Date(epochMs).toISOString().replace("T", " ").replace("Z", "");
}

function showError(error) {
  const p = document.getElementById("error");
  p.textContent = error ? "The driver did not answer: " + error.message + " (retrying)" : "";
  p.hidden = !error;
}

// One timeline: the values over batch time, a dashed line at each restart, and optionally a line
// at the batch interval; beside it a histogram of the same values.
function timeline(id, title, unit, points, restarts, intervalLine) {
  const values = points.map(p => p.v);
  const max = Math.max(1, intervalLine || 0, ...values);
  const t0 = points.length ? points[0].t : 0;
  const t1 = points.length ? points[points.length - 1].t : 1;
  const x = t => PAD + (t1 === t0 ? (W - 2 * PAD) / 2 : (t - t0) / (t1 - t0) * (W - 2 * PAD));
  const y = v => H - PAD / 2 - v / max * (H - PAD);
  let svg = `<svg class="timeline" id="${id}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`;
  svg += `<text x="2" y="10">${esc(max.toFixed(max < 10 ? 1 : 0))} ${esc(unit)}</text>`;
  svg += `<text x="2" y="${H - 2}">0</text>`;
  for (const r of restarts) {
    svg += `<line class="restart" x1="${x(r)}" x2="${x(r)}" y1="4" y2="${H - 4}"><title>driver restarted</title></line>`;
  }
  if (intervalLine) {
    svg += `<line class="interval" x1="${PAD}" x2="${W - PAD}" y1="${y(intervalLine)}" y2="${y(intervalLine)}"><title>batch interval</title></line>`;
  }
  if (points.length) {
    const d = points.map((p, i) => (i ? "L" : "M") + x(p.t).toFixed(1) + "," + y(p.v).toFixed(1)).join(" ");
    svg += `<path class="series" d="${d}"></path>`;
    const last = points[points.length - 1];
    svg += `<circle class="dot" cx="${x(last.t)}" cy="${y(last.v)}" r="2.5"></circle>`;
  }
  svg += "</svg>";
  const avg = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  return `<div class="timeline-row"><div class="name"><b>${esc(title)}</b>avg ${esc(avg.toFixed(1))} ${esc(unit)}</div>` +
      svg + histogram(id + "-histogram", values, max) + "</div>";
}

function histogram(id, values, max) {
  const bins = new Array(10).fill(0);
  for (const v of values) bins[Math.min(9, Math.floor(v / max * 10))]++;
  const most = Math.max(1, ...bins);
  const bh = (H - 8) / 10;
  let svg = `<svg class="histogram" id="${id}" width="${HIST_W}" height="${H}" viewBox="0 0 ${HIST_W} ${H}">`;
  bins.forEach((n, i) => {
    const width = n / most * (HIST_W - 30);
    const top = H - 4 - (i + 1) * bh;
    svg += `<rect class="bar" x="2" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${(bh - 1).toFixed(1)}"><title>${n} batches</title></rect>`;
    if (n) svg += `<text x="${(width + 4).toFixed(1)}" y="${(top + bh - 2).toFixed(1)}">${n}</text>`;
  });
  return svg + "</svg>";
}

function batchLink(b) {
  return `<a class="batch-link" href="batch?time=${b.batchTime}">${esc(time(b.batchTime))}</a>`;
}

function restartRow(columns, newer, older) {
  return `<tr class="restart"><td colspan="${columns}">driver restarted: attempt ${esc(older.attempt)} ran the batches below, attempt ${esc(newer.attempt)} those above</td></tr>`;
}

async function streaming() {
  const [app, page, inputStatus] = await Promise.all([
    getJson("api/v1/application"),
    getJson("api/v1/batches?limit=1000"),
    getJson("api/v1/inputs"),
  ]);
  document.title = "Millrace · " + app.app;
  document.getElementById("app-name").textContent = app.app;
  document.getElementById("batch-interval").textContent = ms(app.batchIntervalMs);
  document.getElementById("uptime").textContent = ms(Date.now() - app.startTimeMs);
  document.getElementById("attempt").textContent = app.attempt + (app.run > 1 ? " (run " + app.run + " of this checkpoint)" : "");
  document.getElementById("state").textContent = app.state.toLowerCase();
  document.getElementById("batches-completed").textContent = app.batchesCompleted;
  document.getElementById("retained").textContent = app.retainedBatches;

  const newestFirst = page.batches;
  const active = newestFirst.filter(b => b.status === "planned" || b.status === "running");
  const done = newestFirst.filter(b => b.status === "completed" || b.status === "failed");
  const records = done.reduce((sum, b) => sum + Math.max(0, b.records), 0);
  document.getElementById("records").textContent = records.toLocaleString("en");

  const oldestFirst = done.slice().reverse();
  const restarts = [];
  for (let i = 1; i < oldestFirst.length; i++) {
    if (oldestFirst[i].run !== oldestFirst[i - 1].run) restarts.push(oldestFirst[i].batchTime);
  }
  const series = f => oldestFirst.map(b => ({t: b.batchTime, v: f(b)}));
  const perSecond = 1000 / app.batchIntervalMs;
  document.getElementById("timeline-range").textContent = oldestFirst.length
      ? "(" + oldestFirst.length + " batches, " + time(oldestFirst[0].batchTime) + " to " + time(oldestFirst[oldestFirst.length - 1].batchTime) + ")"
      : "(no completed batch yet)";
  document.getElementById("timelines").innerHTML =
      timeline("input-rate", "Input rate", "records/s", series(b => Math.max(0, b.records) * perSecond), restarts) +
      timeline("scheduling-delay", "Scheduling delay", "ms", series(b => b.schedulingDelayMs), restarts) +
      timeline("processing-time", "Processing time", "ms", series(b => b.processingTimeMs), restarts, app.batchIntervalMs) +
      timeline("total-delay", "Total delay", "ms", series(b => b.totalDelayMs), restarts);

  const inputs = [...new Set(oldestFirst.flatMap(b => Object.keys(b.inputRecords || {})))];
  document.getElementById("inputs").innerHTML = inputs.map((name, i) =>
      timeline("input-rate-" + i, name, "records/s", series(b => ((b.inputRecords || {})[name] || 0) * perSecond), restarts)).join("")
      || "<p>No input has records yet.</p>";

  inputRows(inputStatus);

  document.getElementById("active-count").textContent = active.length;
  document.querySelector("#active tbody").innerHTML = active.map(b =>
      `<tr><td>${batchLink(b)}</td><td>${esc(b.attempt)}</td><td>${ms(b.schedulingDelayMs)}</td><td>${esc(b.status)}</td></tr>`).join("");

  document.getElementById("completed-count").textContent = done.length;
  let rows = "";
  done.forEach((b, i) => {
    if (i > 0 && done[i - 1].run !== b.run) rows += restartRow(7, done[i - 1], b);
    rows += `<tr class="batch"><td>${batchLink(b)}</td><td>${esc(b.attempt)}</td><td>${esc(Math.max(0, b.records))}</td>` +
        `<td>${ms(b.schedulingDelayMs)}</td><td>${ms(b.processingTimeMs)}</td><td>${ms(b.totalDelayMs)}</td>` +
        `<td class="${esc(b.status)}">${esc(b.status)}</td></tr>`;
  });
  document.querySelector("#completed tbody").innerHTML = rows;
  document.body.dataset.loaded = "true";
}

// One row per input; an input that tells its lag by partition (Kafka) expands to a row per
// partition. Which ones are expanded survives the page's redraws.
function inputRows(inputs) {
  const tbody = document.querySelector("#input-status tbody");
  const open = new Set([...tbody.querySelectorAll("details[open]")].map(d => d.dataset.input));
  tbody.innerHTML = inputs.map(i => {
    const partitions = Object.entries(i.lag || {});
    const total = partitions.reduce((sum, [, n]) => sum + n, 0);
    const lag = partitions.length
        ? `<details class="lag" data-input="${esc(i.name)}"${open.has(i.name) ? " open" : ""}><summary>${esc(total)}</summary>` +
          `<table>${partitions.map(([p, n]) => `<tr class="partition-lag"><td>${esc(p)}</td><td>${esc(n)}</td></tr>`).join("")}</table></details>`
        : "–";
    const records = i.recordsPlanned !== null ? i.recordsPlanned : i.recordsReceived;
    return `<tr class="input"><td>${esc(i.name)}</td><td>${esc(i.source)}</td><td>${i.healthy ? "yes" : "no"}</td>` +
        `<td>${records === null ? "–" : esc(records)}</td><td>${lag}</td></tr>`;
  }).join("") || `<tr><td colspan="5">No input yet.</td></tr>`;
}

async function batch() {
  await appName();
  const wanted = new URLSearchParams(location.search).get("time");
  document.getElementById("batch-time").textContent = wanted ? time(Number(wanted)) : "?";
  const b = await getJson("api/v1/batches/" + encodeURIComponent(wanted || ""));
  document.getElementById("batch-status").textContent = b.status;
  document.getElementById("batch-attempt").textContent = b.attempt;
  document.getElementById("batch-records").textContent = b.records < 0 ? "–" : b.records;
  document.getElementById("batch-submitted").textContent = time(b.submissionTime);
  document.getElementById("batch-scheduling").textContent = ms(b.schedulingDelayMs);
  document.getElementById("batch-processing").textContent = ms(b.processingTimeMs);
  document.getElementById("batch-total").textContent = ms(b.totalDelayMs);
  document.querySelector("#batch-inputs tbody").innerHTML = Object.entries(b.inputRecords || {})
      .map(([name, n]) => `<tr><td>${esc(name)}</td><td>${esc(n)}</td></tr>`).join("");
  // Each input's parts as its plan knows them: the first 20, then how many more.
  document.querySelector("#batch-input-parts tbody").innerHTML = (b.inputParts || []).map(p =>
      p.parts.map(part => `<tr class="part"><td>${esc(p.input)}</td><td class="text">${esc(part)}</td></tr>`).join("") +
      (p.more > 0 ? `<tr class="more"><td>${esc(p.input)}</td><td class="text">and ${esc(p.more)} more</td></tr>` : "")).join("")
      || `<tr><td colspan="2">none known</td></tr>`;
  document.querySelector("#batch-outputs tbody").innerHTML = (b.outputs || []).map(o =>
      `<tr class="output"><td>${esc(o.index)}</td><td>${esc(o.name)}</td><td>${esc(o.stream)}</td><td>${ms(o.durationMs)}</td>` +
      `<td class="${o.status === "failed" ? "failed" : ""}">${esc(o.status)}</td><td class="text">${esc(o.error || "")}</td></tr>`).join("")
      || `<tr><td colspan="6">none ran</td></tr>`;
  document.querySelector("#batch-stages tbody").innerHTML = (b.stages || []).map(s =>
      `<tr class="stage"><td>${esc(s.name)}</td><td>${esc(s.kind)}</td><td>${esc(s.tasks)}</td><td>${esc(s.tasksRetried)}</td>` +
      `<td>${esc(s.durationMs.toFixed(1))} ms</td><td class="text">${s.executors.map(ranOn).join(", ")}</td>` +
      `<td>${s.shuffleBytes < 0 ? "" : bytes(s.shuffleBytes)}</td></tr>`).join("")
      || `<tr><td colspan="7">none traced</td></tr>`;
  document.getElementById("batch-shuffle-bytes").textContent = bytes(b.shuffleBytes || 0);
  document.getElementById("batch-error-section").hidden = !b.error;
  document.getElementById("batch-error").textContent = b.error || "";
  document.body.dataset.loaded = "true";
}

// Where a stage's tasks ran: "driver: 4" or "exec-1 (host-a): 2".
function ranOn(r) {
  return esc(r.id) + (r.host ? " (" + esc(r.host) + ")" : "") + ": " + esc(r.tasks);
}

function bytes(n) {
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
  return (n / 1024 / 1024).toFixed(1) + " MiB";
}

async function appName() {
  const app = await getJson("api/v1/application");
  document.title = document.title.replace(/^Millrace/, "Millrace · " + app.app);
  document.getElementById("app-name").textContent = app.app;
}

async function executors() {
  await appName();
  const list = await getJson("api/v1/executors");
  document.getElementById("executor-count").textContent = list.length;
  document.querySelector("#executors tbody").innerHTML = list.map(e =>
      `<tr class="executor"><td>${esc(e.id)}</td><td>${esc(e.host)}</td><td>${esc(e.pid)}</td><td>${esc(e.cores)}</td>` +
      `<td>${esc(e.sessionId)}</td><td>${ms(Date.now() - e.lastHeartbeatMs)} ago</td><td>${esc(e.tasksCompleted)}</td>` +
      `<td>${esc(e.statePartitions)}</td><td class="heap-used">${e.heapUsedBytes === null ? "–" : esc(bytes(e.heapUsedBytes))}</td>` +
      `<td>${e.heapMaxBytes === null ? "–" : esc(bytes(e.heapMaxBytes))}</td></tr>`).join("");
  document.body.dataset.loaded = "true";
}

async function checkpoints() {
  await appName();
  const c = await getJson("api/v1/checkpoints");
  document.getElementById("checkpoint-directory").textContent = c.directory || "none (the application does not checkpoint)";
  document.getElementById("checkpoint-interval").textContent = c.intervalMs === null ? "–" : ms(c.intervalMs);
  document.getElementById("checkpoint-retained").textContent = "newest " + c.retained;
  document.getElementById("checkpoint-age").textContent = c.lastCheckpointAgeMs === null ? "none yet" : ms(c.lastCheckpointAgeMs) + " ago";
  document.getElementById("checkpoint-started").textContent = c.started || "not yet";
  document.querySelector("#generations tbody").innerHTML = c.generations.map(g =>
      `<tr class="generation${g.passedOver ? " passed-over" : ""}"><td>${esc(time(g.batchTime))}</td><td>${esc(time(g.writtenAtMs))}</td>` +
      `<td>${g.durationMs === null ? "–" : ms(g.durationMs)}</td><td>${esc(bytes(g.bytes))}</td>` +
      `<td>${esc(g.writtenBy)}${g.passedOver ? " (damaged: passed over at the recovery)" : ""}</td></tr>`).join("")
      || `<tr><td colspan="5">none yet</td></tr>`;
  const r = c.recovery;
  document.getElementById("recovery").textContent = r
      ? "Restored generation " + time(r.restoredBatchTime) + (r.fallbacks.length
          ? ", after passing over " + r.fallbacks.length + " newer generation" + (r.fallbacks.length > 1 ? "s" : "") + ":"
          : ", the newest one.")
      : c.started === "fresh" ? "None: the directory held no checkpoint, so this driver started empty." : "None.";
  document.getElementById("fallbacks").hidden = !r || !r.fallbacks.length;
  document.querySelector("#fallbacks tbody").innerHTML = (r ? r.fallbacks : []).map(f =>
      `<tr class="fallback"><td>${esc(time(f.batchTime))}</td><td>${esc(f.reason)}</td></tr>`).join("");
  document.body.dataset.loaded = "true";
}

// "exec-1: 0, 2; driver: 1" from the owner of each partition.
function owners(list) {
  const by = new Map();
  list.forEach((owner, partition) => by.set(owner, (by.get(owner) || []).concat(partition)));
  return [...by.entries()].map(([owner, partitions]) => owner + ": " + partitions.join(", ")).join("; ");
}

async function state() {
  await appName();
  const operators = await getJson("api/v1/state");
  document.getElementById("state-count").textContent = operators.length;
  const at = operators.find(o => o.checkpointBatchTime !== null);
  document.getElementById("state-checkpoint").textContent = at ? "batch " + time(at.checkpointBatchTime) : "none yet";
  const uncounted = "not counted";
  document.querySelector("#state-operators tbody").innerHTML = operators.map(o =>
      `<tr class="state-operator"><td>${esc(o.name)}</td><td>${esc(o.operation)}</td>` +
      `<td>${o.keys === null ? (o.checkpointBatchTime === null ? "–" : uncounted) : esc(o.keys)}</td>` +
      `<td>${o.bytes === null ? (o.checkpointBatchTime === null ? "–" : uncounted) : esc(bytes(o.bytes))}</td>` +
      `<td>${esc(o.partitions)}</td><td class="owners">${esc(owners(o.owners))}</td></tr>`).join("")
      || `<tr><td colspan="6">The application has no stateful operator.</td></tr>`;
  document.body.dataset.loaded = "true";
}

async function configuration() {
  await appName();
  const settings = await getJson("api/v1/configuration");
  document.querySelector("#options tbody").innerHTML = settings.options.map(s =>
      `<tr class="${s.configured ? "configured" : "default"}"><td>${esc(s.key)}</td><td>${esc(s.value)}</td>` +
      `<td>${esc(s.defaultValue)}</td><td>${esc(s.description)}</td></tr>`).join("");
  document.querySelector("#others tbody").innerHTML = settings.others.map(s =>
      `<tr><td>${esc(s.key)}</td><td>${esc(s.value)}</td></tr>`).join("")
      || `<tr><td colspan="2">none</td></tr>`;
  document.body.dataset.loaded = "true";
}

async function refresh(draw, again) {
  try {
    await draw();
    showError(null);
  } catch (e) {
    showError(e);
  }
  if (again) setTimeout(() => refresh(draw, again), REFRESH_MS);
}

const pages = {
  streaming: () => refresh(streaming, true),
  batch: () => refresh(batch, false),
  executors: () => refresh(executors, true),
  checkpoints: () => refresh(checkpoints, true),
  state: () => refresh(state, true),
  configuration: () => refresh(configuration, false),
};
pages[document.body.dataset.page]();
