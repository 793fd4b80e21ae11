/**
 * em-focus benchmarks. `npm run bench` runs every part; `npm run bench -- --only matching,ack` a subset.
 * Each part measures em-focus beside a baseline taken in the same run, prints both with their ratio
 * and target, and everything lands in bench/results.json with a description of the machine.
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { runAck } from "./ack.js";
import { BENCH_DIR, markdownTable, type PartResult, printRows, type Row, round } from "./common.js";
import { runDelivery } from "./delivery.js";
import { runLibraryStartup } from "./library-startup.js";
import { describeMachine } from "./machine.js";
import { runMatching } from "./matching.js";
import { runScale } from "./scale.js";
import { runStartup } from "./startup.js";

interface Part {
  name: string;
  /** Short label for the table, e.g. "1 matching". */
  label: string;
  title: string;
  run: () => Promise<PartResult>;
}

const PARTS: readonly Part[] = [
  {
    name: "matching",
    label: "1 matching",
    title: "1. Matching (Matcher.best vs plain MiniSearch)",
    run: runMatching,
  },
  {
    name: "ack",
    label: "2 ack",
    title: "2. Slash-command ack (em-focus vs bare Bolt app)",
    run: runAck,
  },
  {
    name: "startup",
    label: "3 start-up",
    title: "3. Start-up to listening (node dist/main.js vs bare Bolt app)",
    run: runStartup,
  },
  {
    name: "scale",
    label: "4 scale",
    title: "4. Content scale (1,000 generated articles vs the seed content)",
    run: runScale,
  },
  {
    name: "delivery",
    label: "5 delivery",
    title: "5. Prompt delivery (10,000 due subscriptions, rate-limited Slack)",
    run: runDelivery,
  },
  {
    name: "library",
    label: "6 library",
    title: "6. A library near the classifier's limit: warm start-up (node dist/main.js vs bare Bolt app)",
    run: runLibraryStartup,
  },
];

const USAGE = `Usage: npm run bench [-- --only ${PARTS.map((p) => p.name).join(",")}]

  --only <parts>   comma-separated parts to run (default: all)
  --help           this text

Environment: TEST_DATABASE_URL=postgres://… adds a PostgreSQL run to the delivery part
(in a schema of its own, dropped afterwards).
BENCH_CPU_PROF=<dir> writes CPU profiles of the em-focus server (ack) and of the delivery pass alone
(beside it, the bundled child its line numbers refer to).
BENCH_DELIVERY_CONCURRENCY=<n> overrides deliverDuePrompts' concurrency (diagnostics only).
BENCH_ZONES_READ_AHEAD=0: the delivery part's time zones were not read ahead, so every prompt asks
users.info when due (by default they were read three hours before, as the app's look-ahead does).`;

function selectedParts(argv: readonly string[]): Part[] {
  let only: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === "--only") {
      only = (argv[++i] ?? "").split(",");
    } else if (arg.startsWith("--only=")) {
      only = arg.slice("--only=".length).split(",");
    } else {
      console.error(`Unknown argument: ${arg}\n\n${USAGE}`);
      process.exit(2);
    }
  }
  if (only === null) return [...PARTS];
  const names = only.map((n) => n.trim()).filter((n) => n !== "");
  const unknown = names.filter((n) => !PARTS.some((p) => p.name === n));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`Unknown part(s): ${unknown.join(", ") || "(none given)"}\n\n${USAGE}`);
    process.exit(2);
  }
  return PARTS.filter((p) => names.includes(p.name));
}

async function main(): Promise<void> {
  const parts = selectedParts(process.argv.slice(2));
  const machine = describeMachine();
  console.log(
    `em-focus benchmarks — ${machine.date}\n${machine.os}\n${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}\n`,
  );
  if ((machine.loadAverage[0] ?? 0) > 0.5) {
    console.log(
      `Note: load average ${machine.loadAverage.join(" ")}: other work is using the cores, so figures will be noisier.\n`,
    );
  }
  const started = performance.now();
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  let failed = false;
  for (const part of parts) {
    console.log(`${part.title}`);
    const partStart = performance.now();
    try {
      const result = await part.run();
      const seconds = (performance.now() - partStart) / 1000;
      printRows(result.rows);
      console.log(`  (${seconds.toFixed(1)} s)\n`);
      rows.push(...result.rows);
      results[part.name] = { seconds: round(seconds, 1), rows: result.rows, ...result.details };
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`  FAILED: ${message}\n`);
      rows.push({
        part: part.label,
        figure: "error",
        value: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "",
        baseline: "—",
        ratio: null,
        target: "runs",
        met: false,
      });
      results[part.name] = { error: message };
    }
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const table = markdownTable(rows);
  console.log(`${table}\n\nTotal ${totalSeconds.toFixed(1)} s.`);

  const output = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    machine: { ...machine, loadAverageAtEnd: loadavg().map((v) => round(v, 2)) },
    parts: parts.map((p) => p.name),
    totalSeconds: round(totalSeconds, 1),
    table: rows,
    results,
  };
  const file = join(BENCH_DIR, "results.json");
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`Wrote ${file}`);
  if (failed) process.exitCode = 1;
}

await main();
