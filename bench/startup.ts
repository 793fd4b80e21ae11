import { startFakeSlack } from "../test-support/fake-slack.js";
import { ensureBuilt } from "./build.js";
import { CONTENT_DIR, childEnv, fmt, type PartResult, round, startServerChild, summarize } from "./common.js";

const RUNS = 7;
const TARGET_RATIO = 1.2;

const TARGETS = [
  { name: "em-focus", script: "dist/main.js" },
  { name: "bare Bolt", script: "bench/bare-app.mjs" },
] as const;

/**
 * Process start to listening, for `node dist/main.js` and `node bench/bare-app.mjs`: both plain node on
 * compiled JavaScript, both with the same preload that reports the listening socket. em-focus
 * listens only after it has loaded the content, built the index and migrated the store.
 */
export async function runStartup(): Promise<PartResult> {
  ensureBuilt();
  const fake = await startFakeSlack();
  try {
    const env = childEnv({
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: "bench-signing-secret",
      PORT: "0",
      HOST: "127.0.0.1",
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: ":memory:",
      LOG_LEVEL: "error",
      CONTENT_DIR,
    });
    const times: Record<string, number[]> = Object.fromEntries(TARGETS.map((t) => [t.name, []]));
    // One unmeasured start each fills the file cache; then they alternate.
    for (let run = -1; run < RUNS; run++) {
      const order = run % 2 === 0 ? TARGETS : [...TARGETS].reverse();
      for (const target of order) {
        const server = await startServerChild(target.name, target.script, env);
        await server.stop();
        if (run >= 0) times[target.name]?.push(server.readyMs);
      }
    }
    const app = summarize(times["em-focus"] ?? []);
    const bare = summarize(times["bare Bolt"] ?? []);
    const ratio = app.median / bare.median;
    return {
      rows: [
        {
          part: "3 start-up",
          figure: `process start → listening (median of ${RUNS})`,
          value: fmt(app.median, "ms", 0),
          baseline: `${fmt(bare.median, "ms", 0)} (bare Bolt)`,
          ratio,
          target: "≤ 1.2×",
          met: ratio <= TARGET_RATIO,
        },
      ],
      details: {
        runs: RUNS,
        emFocusMs: (times["em-focus"] ?? []).map((t) => round(t, 1)),
        bareMs: (times["bare Bolt"] ?? []).map((t) => round(t, 1)),
        medianMs: { emFocus: round(app.median, 1), bare: round(bare.median, 1) },
        ratio: round(ratio),
      },
    };
  } finally {
    await fake.close();
  }
}
