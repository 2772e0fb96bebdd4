// The operator console: plain JavaScript over the public HTTP API (no build step, no library). Every panel says in
// words what it shows, what it found nothing of, and what went wrong.
"use strict";

const api = location.origin + "/api";
const keyInput = document.getElementById("key");
const keyFromUrl = new URLSearchParams(location.search).get("code");
if (keyFromUrl) sessionStorage.setItem("functionKey", keyFromUrl);
keyInput.value = sessionStorage.getItem("functionKey") ?? "";
keyInput.addEventListener("change", () => { sessionStorage.setItem("functionKey", keyInput.value.trim()); refreshAll(); });

/** A failure put in words for the person reading the screen. */
class ApiError extends Error {
  constructor(status, problem, message) { super(message); this.status = status; this.problem = problem; }
}

async function get(path) {
  const headers = { accept: "application/json" };
  const key = keyInput.value.trim();
  if (key) headers["x-functions-key"] = key;
  let response;
  try {
    response = await fetch(api + path, { headers });
  } catch {
    throw new ApiError(0, null, "The service did not answer. Is it running, and is this page served by it?");
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: described below */ }
  if (response.ok) return body;
  if (response.status === 401 || response.status === 403)
    throw new ApiError(response.status, body, "The service refused the request: it needs a valid function key (enter it under “Function key” above).");
  if (body && body.title) throw new ApiError(response.status, body, body.detail ? `${body.title}: ${body.detail}` : body.title);
  throw new ApiError(response.status, body, `The service answered ${response.status} ${response.statusText}.`);
}

/** Every item of a list route, following continuation tokens up to a bound (the page says when it stopped early). */
async function getAll(path, maxPages = 10) {
  const items = [];
  let token = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const body = await get(path + (token ? `${sep}continuationToken=${encodeURIComponent(token)}` : ""));
    items.push(...body.items);
    token = body.continuationToken;
    if (!token) return { items, complete: true };
  }
  return { items, complete: false };
}

// ---- small DOM helpers ---------------------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

function table(columns, rows) {
  return el("table", {},
    el("thead", {}, el("tr", {}, columns.map(c => el("th", { class: c.num ? "num" : "" }, c.title)))),
    el("tbody", {}, rows.map(r => el("tr", {}, columns.map(c => el("td", { class: c.num ? "num" : "" }, c.value(r)))))));
}

const empty = text => el("p", { class: "empty" }, text);
const failure = (what, error) => el("p", { class: "error" }, `${what}: ${error.message}`);
const number = n => (n ?? 0).toLocaleString("en-US");
const when = iso => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "—");
const show = (id, ...nodes) => document.getElementById(id).replaceChildren(...nodes);
const productLink = (id, label) => el("a", { class: "product-link", onclick: () => find(id) }, label ?? id);

// ---- find a product ------------------------------------------------------------------------------------------------

document.getElementById("find-form").addEventListener("submit", event => {
  event.preventDefault();
  find(document.getElementById("find-input").value.trim());
});

async function find(query) {
  const message = document.getElementById("find-message");
  const panel = document.getElementById("product");
  document.getElementById("find-input").value = query;
  if (!query) { message.textContent = "Type a SKU or a product id first."; return; }
  message.className = "message";
  message.textContent = `Looking for “${query}”…`;
  panel.hidden = true;
  let productId;
  try {
    productId = await resolveProduct(query);
  } catch (error) {
    message.className = "message error";
    message.textContent = `Could not look for “${query}”: ${error.message}`;
    return;
  }
  if (!productId) {
    message.className = "message error";
    message.textContent = `No product has the SKU or the id “${query}”. SKUs are matched exactly, letter case included.`;
    return;
  }
  try {
    const [product, stock, reservations, ledger] = await Promise.all([
      get(`/products/${encodeURIComponent(productId)}`),
      get(`/products/${encodeURIComponent(productId)}/stock`),
      getAll(`/products/${encodeURIComponent(productId)}/reservations?status=ACTIVE&pageSize=200`, 5),
      get(`/products/${encodeURIComponent(productId)}/transactions?pageSize=200`),
    ]);
    renderProduct(product, stock, reservations, ledger);
    message.textContent = `Showing ${product.name} (SKU ${product.sku}).`;
    panel.hidden = false;
  } catch (error) {
    message.className = "message error";
    message.textContent = `Found “${productId}” but could not read it: ${error.message}`;
  }
}

/** A SKU first (the exact claim), then a product id; null when neither exists. */
async function resolveProduct(query) {
  const bySku = await get(`/products?sku=${encodeURIComponent(query)}`);
  if (bySku.items.length > 0) return bySku.items[0].productId;
  if (!/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/.test(query)) return null;
  try {
    return (await get(`/products/${encodeURIComponent(query)}`)).productId;
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

function renderProduct(product, stock, reservations, ledger) {
  show("product-title", `${product.name} `, el("small", {}, `SKU ${product.sku} · id ${product.productId}`),
    product.isActive ? "" : el("span", { class: "status low" }, " INACTIVE"));
  const low = stock.quantityAvailable <= product.reorderPoint;
  show("product-totals",
    ...[["On hand", stock.quantityOnHand], ["Reserved", stock.quantityReserved], ["Available", stock.quantityAvailable],
      ["Incoming", stock.quantityIncoming], ["Reorder point", product.reorderPoint]]
      .map(([label, value]) => el("div", {}, el("dt", {}, label), el("dd", { "data-total": label }, number(value)))),
    low ? el("div", {}, el("dt", {}, "Status"), el("dd", { class: "status low" }, "LOW STOCK")) : "");

  show("product-locations", stock.locations.length === 0
    ? empty("No stock at any location yet: nothing has been received for this product.")
    : table([
      { title: "Warehouse", value: r => r.warehouseId },
      { title: "Location", value: r => r.locationId },
      { title: "Bucket", value: r => r.bucket ?? "" },
      { title: "Type", value: r => r.locationType },
      { title: "On hand", num: true, value: r => number(r.quantityOnHand) },
      { title: "Reserved", num: true, value: r => number(r.quantityReserved) },
      { title: "Available", num: true, value: r => number(r.quantityAvailable) },
      { title: "Last counted", value: r => when(r.lastCountedAt) },
    ], stock.locations));

  show("product-reservations", reservations.items.length === 0
    ? empty("No active reservations: no order holds this product.")
    : table([
      { title: "Order", value: r => r.orderId },
      { title: "Requested", num: true, value: r => number(r.requested) },
      { title: "Reserved", num: true, value: r => number(r.reserved) },
      { title: "Shipped", num: true, value: r => number(r.shipped) },
      { title: "Still held", num: true, value: r => number(r.remaining) },
      { title: "Hold expires", value: r => when(r.holdExpiresAt) },
      { title: "Since", value: r => when(r.createdAt) },
    ], reservations.items));

  show("product-chart", chart(ledger.entries, stock.quantityOnHand));

  show("product-ledger", ledger.entries.length === 0
    ? empty("No ledger entries: this product's stock has never moved.")
    : el("div", {}, table([
      { title: "When", value: r => when(r.createdAt) },
      { title: "Type", value: r => r.txnType },
      { title: "Location", value: r => r.locationId },
      { title: "Bucket", value: r => r.bucket ?? "" },
      { title: "On hand Δ", num: true, value: r => (r.onHandDelta > 0 ? "+" : "") + number(r.onHandDelta) },
      { title: "Reserved Δ", num: true, value: r => (r.reservedDelta > 0 ? "+" : "") + number(r.reservedDelta) },
      { title: "On hand after (location)", num: true, value: r => number(r.onHandAfter) },
      { title: "Reference", value: r => r.referenceId },
      { title: "Reason", value: r => r.reasonCode ?? "" },
    ], ledger.entries),
    ledger.continuationToken ? el("p", { class: "message" }, "Showing the latest 200 entries.") : ""));
}

/**
 * On hand over time, all locations together, as a step line in SVG. The ledger is read newest first: walking it back
 * from today's total, each entry's total before it is the total after it minus its on-hand change. The product's own
 * entries only: an escrow bucket's (with `bucket`) count units the product already counts.
 */
function chart(all, onHandNow) {
  const entries = all.filter(e => e.bucket == null);
  if (entries.length === 0) return empty("Nothing to chart yet: no stock movement recorded.");
  const points = [];
  let total = onHandNow;
  for (const e of entries) { points.push({ t: new Date(e.createdAt).getTime(), v: total }); total -= e.onHandDelta; }
  points.push({ t: points[points.length - 1].t, v: total });
  points.reverse();
  points.push({ t: Date.now(), v: onHandNow });
  const ns = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs = {}, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const [w, h, left, right, top, bottom] = [800, 220, 56, 12, 12, 28];
  const t0 = points[0].t, t1 = Math.max(points[points.length - 1].t, t0 + 1);
  const vmax = Math.max(1, ...points.map(p => p.v));
  const x = t => left + ((t - t0) / (t1 - t0)) * (w - left - right);
  const y = v => top + (1 - v / vmax) * (h - top - bottom);
  let d = `M ${x(points[0].t)} ${y(points[0].v)}`;
  for (let i = 1; i < points.length; i++) d += ` H ${x(points[i].t)} V ${y(points[i].v)}`;
  const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": `On hand over time, now ${onHandNow}` });
  root.append(svg("line", { class: "axis", x1: left, y1: y(0), x2: w - right, y2: y(0) }));
  root.append(svg("line", { class: "axis", x1: left, y1: top, x2: left, y2: y(0) }));
  for (const v of [0, Math.round(vmax / 2), vmax])
    root.append(svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, number(v)));
  root.append(svg("text", { x: left, y: h - 8 }, when(new Date(t0).toISOString())));
  root.append(svg("text", { x: w - right, y: h - 8, "text-anchor": "end" }, "now"));
  root.append(svg("path", { class: "line", d }));
  for (const p of points.slice(1, -1)) root.append(svg("circle", { class: "dot", cx: x(p.t), cy: y(p.v), r: 2.5 }));
  return root;
}

// ---- the overview panels -------------------------------------------------------------------------------------------

async function loadLowStock() {
  try {
    const { items, complete } = await getAll("/products?lowStock=true&pageSize=100");
    show("low-stock-body", items.length === 0
      ? empty(complete ? "No product is at or below its reorder point." : "None found in the first pages of products.")
      : table([
        { title: "Product", value: r => productLink(r.productId, r.name) },
        { title: "SKU", value: r => r.sku },
        { title: "Available", num: true, value: r => number(r.quantityAvailable) },
        { title: "Reorder point", num: true, value: r => number(r.reorderPoint) },
      ], items));
  } catch (error) { show("low-stock-body", failure("Could not list low-stock products", error)); }
}

const openStatuses = ["DRAFT", "SENT", "CONFIRMED", "PARTIAL"];
document.getElementById("po-status").addEventListener("change", loadPurchaseOrders);

async function loadPurchaseOrders() {
  const status = document.getElementById("po-status").value;
  try {
    const { items } = await getAll(status === "OPEN" ? "/purchase-orders?pageSize=200" : `/purchase-orders?status=${status}&pageSize=200`);
    const shown = status === "OPEN" ? items.filter(po => openStatuses.includes(po.status)) : items;
    show("po-body", shown.length === 0
      ? empty(status === "OPEN" ? "No open purchase orders." : `No purchase order is ${status}.`)
      : table([
        { title: "PO", value: r => r.poId },
        { title: "Status", value: r => el("span", { class: "status" }, r.status) },
        { title: "Supplier", value: r => r.supplierId },
        { title: "Warehouse", value: r => r.warehouseId },
        { title: "Expected", value: r => r.expectedDate },
        { title: "Lines (received / ordered)", value: r => r.lines.map(l => `${l.productId} ${l.quantityReceived}/${l.quantityOrdered}`).join(", ") },
      ], shown));
  } catch (error) { show("po-body", failure("Could not list purchase orders", error)); }
}

const queues = ["receipts", "purchase-order-events"];

async function loadQuarantine() {
  try {
    const lists = await Promise.all(queues.map(q => get(`/quarantine/${q}`)));
    const messages = lists.flatMap(l => l.messages);
    show("quarantine-body", messages.length === 0
      ? empty(`No quarantined messages on ${queues.join(" or ")}: every message was processed.`)
      : table([
        { title: "Queue", value: r => r.queue },
        { title: "Message", value: r => r.messageId },
        { title: "Reason", value: r => el("span", { class: "status" }, r.reason) },
        { title: "What went wrong", value: r => r.description },
        { title: "Deliveries", num: true, value: r => number(r.deliveryCount) },
        { title: "When", value: r => when(r.quarantinedAt) },
      ], messages));
  } catch (error) { show("quarantine-body", failure("Could not read the quarantine", error)); }
}

async function loadReplenishment() {
  try {
    const run = await get("/replenishment/runs/latest");
    show("replenishment-body",
      el("p", {}, `Run ${run.runId}: `, el("span", { class: "status" }, run.status), ` — started ${when(run.startedAt)}`,
        run.completedAt ? `, finished ${when(run.completedAt)}` : ", not finished", run.pastDue ? " (ran late)" : ""),
      table([{ title: "Count", value: r => r[0] }, { title: "", num: true, value: r => number(r[1]) }], [
        ["Products scanned", run.scanned], ["Below threshold", run.belowThreshold], ["Purchase orders created", run.ordersCreated],
        ["Skipped (order already open)", run.skippedOpenOrder], ["Errors", run.errors],
      ]),
      (run.errorSamples ?? []).length ? el("ul", {}, run.errorSamples.map(s => el("li", { class: "error" }, s))) : "");
  } catch (error) {
    show("replenishment-body", error.status === 404
      ? empty("The nightly replenishment scan has not run yet.")
      : failure("Could not read the latest run", error));
  }
}

async function checkHealth() {
  const pill = document.getElementById("health");
  try {
    const health = await get("/health");
    pill.className = "pill ok";
    pill.textContent = `service healthy · ${health.store}`;
  } catch (error) {
    pill.className = "pill bad";
    pill.textContent = error.message;
  }
}

function refreshAll() {
  checkHealth();
  loadLowStock();
  loadPurchaseOrders();
  loadQuarantine();
  loadReplenishment();
}

refreshAll();
const initial = new URLSearchParams(location.search).get("product");
if (initial) find(initial);
