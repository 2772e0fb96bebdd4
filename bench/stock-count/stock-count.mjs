// Times one POST /api/stock/counts of a large CSV against a running host (the local host on Azurite, or a deployed app).
// Seeds a warehouse with L locations and P products through the API (idempotent PUTs), receives one unit of every
// product at every location, then posts a count of P x L rows and, again, the same count (a replay).
//   node bench/stock-count/stock-count.mjs [url] [products=1000] [locations=10]
const [base = "http://127.0.0.1:7071", products = "1000", locations = "10"] = process.argv.slice(2);
const P = Number(products), L = Number(locations);
const run = Date.now().toString(36);

async function call(method, path, body, type = "application/json") {
  const response = await fetch(base + path, { method, headers: { "content-type": type }, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function inBatches(items, size, work) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

const wh = `bench-wh-${run}`;
await call("PUT", `/api/warehouses/${wh}`, JSON.stringify({ name: "Count bench" }));
const locs = Array.from({ length: L }, (_, i) => `${wh}-loc-${i}`);
await inBatches(locs, 16, l => call("PUT", `/api/warehouses/${wh}/locations/${l}`, JSON.stringify({ type: "BULK" })));
const prods = Array.from({ length: P }, (_, i) => `bench-${run}-${i}`);
// Products with a weight and dimensions, as real ones have: every count row then also updates its location's load.
await inBatches(prods, 16, p => call("PUT", `/api/products/${p}`,
  JSON.stringify({ sku: `SKU-${p}`, name: p, unitWeightGrams: 250, dimensions: { length: 100, width: 80, height: 60 } })));
console.log(`seeded ${P} products x ${L} locations`);

const rows = ["locationId,sku,countedQuantity"];
for (const p of prods) for (const l of locs) rows.push(`${l},SKU-${p},${1 + (p.length + l.length) % 7}`);
const csv = rows.join("\n") + "\n";
// A large count may answer 202 (recorded; carried on by the ResumeStockCounts timer): then poll its status URL.
async function count() {
  const response = await fetch(`${base}/api/stock/counts?countId=bench-${run}`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
  let result = JSON.parse(await response.text());
  if (!response.ok) throw new Error(`POST -> ${response.status} ${JSON.stringify(result).slice(0, 300)}`);
  const answered = response.status;
  while (answered === 202 && result.status !== "COMPLETED") {
    await new Promise(r => setTimeout(r, 1000));
    result = await call("GET", `/api/stock/counts/bench-${run}?pageSize=1`);
  }
  return { answered, result };
}
for (const label of ["first", "replay"]) {
  const started = performance.now();
  const { answered, result } = await count();
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${result.rows} rows (${(csv.length / 1024).toFixed(0)} KiB) in ${seconds.toFixed(1)} s = ${(result.rows / seconds).toFixed(0)} rows/s;`
    + ` answered ${answered}; applied ${result.applied}, replayed ${result.replayed}, failed ${result.failed}`);
}
