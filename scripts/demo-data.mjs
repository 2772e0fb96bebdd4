// Loads the demo data of docs/http-api.md through the HTTP API (used by `scripts/run --demo`). Every call is
// idempotent (PUTs, receipts with fixed ids), so running it twice changes nothing.
const base = process.argv[2] ?? "http://127.0.0.1:7071";

async function call(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path} -> ${response.status} ${await response.text()}`);
  }
}

await call("PUT", "/api/warehouses/wh-paris", {
  name: "Paris central", timezone: "Europe/Paris", capacityCubicMeters: 1200,
  address: { line1: "1 rue de Rivoli", city: "Paris", postalCode: "75001", country: "FR" },
});
await call("PUT", "/api/warehouses/wh-paris/locations/paris-pick-01", { type: "PICK_FACE", aisle: "A", bay: "01", level: "1", bin: "1" });
await call("PUT", "/api/warehouses/wh-paris/locations/paris-bulk-01", { type: "BULK", aisle: "B", bay: "01" });

await call("PUT", "/api/products/tshirt-blue-m", { sku: "TS-BLUE-M", name: "T-shirt blue M", unitCost: 4.2, reorderPoint: 20, reorderQuantity: 100 });
await call("PUT", "/api/products/mug-white", { sku: "MUG-WHITE", name: "White mug", unitCost: 1.8 });

await call("POST", "/api/stock/receipts", { receiptId: "demo-1", productId: "tshirt-blue-m", locationId: "paris-pick-01", quantity: 10 });
await call("POST", "/api/stock/receipts", { receiptId: "demo-2", productId: "tshirt-blue-m", locationId: "paris-bulk-01", quantity: 90 });
await call("POST", "/api/stock/receipts", { receiptId: "demo-3", productId: "mug-white", locationId: "paris-pick-01", quantity: 25 });

console.log("Demo data: warehouse wh-paris (paris-pick-01, paris-bulk-01); products tshirt-blue-m (100 units), mug-white (25 units).");
