/**
 * The pacer in virtual time (test-support/pacer-sim.ts): seconds to send 10,000 and 50,000 prompts
 * against several limiters, phases and latencies, as a ratio to the floor (count / limit).
 *
 *   npx tsx bench/pacer-sim.ts
 *   PACER_MODULE=../src/prompts/pacer-before.ts npx tsx bench/pacer-sim.ts   (another pacer.ts)
 */
import {
  fixedWindow,
  type Limiter,
  type Sender,
  simulatePass,
  slidingWindow,
  tokenBucket,
} from "../test-support/pacer-sim.js";

const module = process.env.PACER_MODULE;
type Paced = new (
  sleep: (ms: number) => Promise<void>,
  logger: { warn(): void },
  waits: number,
  clock: () => number,
) => Sender;
const Other = module ? ((await import(module)) as { PacedSlack: Paced }).PacedSlack : undefined;
const makeSlack = Other
  ? (sleep: (ms: number) => Promise<void>, clock: () => number) => new Other(sleep, { warn() {} }, 5, clock)
  : undefined;

interface Case {
  limiter: () => Limiter;
  limit: number;
  count: number;
}

const cases: Case[] = [];
for (const count of [10_000, 50_000]) {
  for (const phase of [0, 130, 370, 620, 880])
    cases.push({ limiter: () => fixedWindow(500, phase), limit: 500, count });
  cases.push({ limiter: () => slidingWindow(500), limit: 500, count });
  cases.push({ limiter: () => tokenBucket(500, 100), limit: 500, count });
}
cases.push({ limiter: () => fixedWindow(120, 450), limit: 120, count: 3_000 });
cases.push({ limiter: () => slidingWindow(120), limit: 120, count: 3_000 });
cases.push({ limiter: () => fixedWindow(1, 300), limit: 1, count: 60 });

const latencies = (process.env.LATENCIES ?? "3,8,14").split(",").map(Number);
console.log(`pacer: ${module ?? "src/prompts/pacer.ts"}; 8 workers, timers up to 2 ms late`);
for (const c of cases) {
  const cells: string[] = [];
  let name = "";
  for (const latencyMs of latencies) {
    const limiter = c.limiter();
    name = limiter.name;
    const r = await simulatePass({ count: c.count, limiter, latencyMs, lateMs: 2, makeSlack });
    const floor = c.count / c.limit;
    const late = r.rejectedAt.filter((at) => at > 5_000).length;
    cells.push(`${(r.seconds / floor).toFixed(3)}x 429s ${r.rejected} (${late} after 5 s)`);
    if (process.env.VERBOSE) console.log(`  ${latencyMs} ms:`, r.acceptedPerSecond.slice(0, 15).join(" "));
  }
  console.log(
    `${String(c.count).padStart(6)} ${name.padEnd(26)} ${latencies.map((l, i) => `${l}ms ${cells[i]}`).join(" | ")}`,
  );
}
