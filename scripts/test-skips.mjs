// Lists the tests that were skipped in the .trx files of a test run, with their reasons. With CI=true, exits 1 when a
// test skipped for any reason but the two allowed ones: the Cosmos DB emulator suites (no Docker on the build machine)
// and the real-browser test when Chromium cannot be installed. Usage: node scripts/test-skips.mjs <results directory>
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const allowed = ["Needs the Cosmos DB emulator", "Needs Chromium"];
const dir = process.argv[2];
const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

const skipped = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".trx"))) {
  const trx = readFileSync(join(dir, file), "utf8");
  for (const [, attributes, body] of trx.matchAll(/<UnitTestResult\b([^>]*?)(?:\/>|>([\s\S]*?)<\/UnitTestResult>)/g)) {
    if (!/\boutcome="NotExecuted"/.test(attributes)) continue;
    const name = decode(/\btestName="([^"]*)"/.exec(attributes)?.[1] ?? "?");
    const reason = decode((/<Message>([\s\S]*?)<\/Message>/.exec(body ?? "")?.[1] ?? "(no reason given)").trim());
    skipped.push({ name, reason });
  }
}

const byReason = new Map();
for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
for (const [reason, tests] of byReason) {
  console.log(`skipped ${tests.length}: ${reason}`);
  for (const t of tests.slice(0, 3)) console.log(`    ${t.name}`);
  if (tests.length > 3) console.log(`    ... and ${tests.length - 3} more`);
}
const unexpected = skipped.filter((s) => !allowed.some((prefix) => s.reason.startsWith(prefix)));
if (process.env.CI === "true" && unexpected.length > 0) {
  console.error(`CI: ${unexpected.length} test(s) skipped for a reason other than ${allowed.map((a) => `"${a}…"`).join(" or ")}: that is a failure here.`);
  process.exit(1);
}
