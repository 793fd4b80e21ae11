import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadLibrary } from "../src/content/load.js";
import { startFakeSlack } from "../test-support/fake-slack.js";
import { ensureBuilt } from "./build.js";
import {
  CONTENT_DIR,
  fmt,
  type PartResult,
  round,
  serverEnv,
  startServerChild,
  summarize,
} from "./common.js";
import { generateContent } from "./generate-content.js";

const RUNS = 7;
const TARGET_RATIO = 1.5;
/** The largest library the classifier still learns from (MAX_CLASSIFIED_SECTIONS in matcher.ts). */
const SECTIONS = 100;
const SEED = "levels-of-engineering-management-focus.md";

/**
 * A library near the largest the classifier learns from: the seed article and its examples plus
 * generated articles up to 100 sections. Started warm (the first, unmeasured start trains and caches
 * the model, as `npm install` does for the shipped content), `node dist/main.js` to listening,
 * alternating with bare Bolt.
 */
export async function runLibraryStartup(): Promise<PartResult> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), "em-focus-bench-library-"));
  const fake = await startFakeSlack();
  try {
    copyFileSync(join(CONTENT_DIR, SEED), join(dir, SEED));
    // Generated articles have sections of the same ids (a "Narrow" item): examples name the seed's.
    const slug = SEED.replace(/\.md$/, "");
    const examples = readFileSync(join(CONTENT_DIR, "examples.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const example = JSON.parse(line) as { section: string | null };
        if (example.section !== null && !example.section.includes("#"))
          example.section = `${slug}#${example.section}`;
        return JSON.stringify(example);
      });
    writeFileSync(join(dir, "examples.jsonl"), `${examples.join("\n")}\n`);
    const sections = fillUpTo(dir, SECTIONS);
    const env = serverEnv(fake.apiUrl, dir);
    const targets = [
      { name: "library", script: "dist/main.js" },
      { name: "bare Bolt", script: "bench/bare-app.mjs" },
    ];
    const times: Record<string, number[]> = { library: [], "bare Bolt": [] };
    let trainedMs = 0;
    for (let run = -1; run < RUNS; run++) {
      const order = run % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        // The first start trains the classifier on a hundred sections: give it time.
        const server = await startServerChild(target.name, target.script, env, {
          timeoutMs: run < 0 ? 300_000 : 30_000,
        });
        await server.stop();
        if (run >= 0) times[target.name]?.push(server.readyMs);
        else if (target.name === "library") trainedMs = server.readyMs;
      }
    }
    const library = summarize(times.library ?? []);
    const bare = summarize(times["bare Bolt"] ?? []);
    const ratio = library.median / bare.median;
    return {
      rows: [
        {
          part: "6 library",
          figure: `${sections}-section library (seed + generated articles), warm: process start → listening (median of ${RUNS}; first start, training: ${fmt(trainedMs, "ms", 0)})`,
          value: fmt(library.median, "ms", 0),
          baseline: `${fmt(bare.median, "ms", 0)} (bare Bolt)`,
          ratio,
          target: `≤ ${TARGET_RATIO}×`,
          met: ratio <= TARGET_RATIO,
        },
      ],
      details: {
        sections,
        runs: RUNS,
        libraryMs: (times.library ?? []).map((t) => round(t, 1)),
        bareMs: (times["bare Bolt"] ?? []).map((t) => round(t, 1)),
        firstStartMs: round(trainedMs, 1),
        ratio: round(ratio),
      },
    };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds generated articles to `dir` (beside the seed) while the library stays within `limit` sections. */
export function fillUpTo(dir: string, limit: number): number {
  let total = loadLibrary(dir).sections.length;
  for (let seed = 1; seed < 50 && total < limit; seed++) {
    const scratch = mkdtempSync(join(tmpdir(), "em-focus-bench-article-"));
    try {
      generateContent(scratch, 1, join(CONTENT_DIR, SEED), seed);
      const added = readdirSync(scratch).map((file) => {
        copyFileSync(join(scratch, file), join(dir, `g${seed}-${file}`));
        return join(dir, `g${seed}-${file}`);
      });
      const now = loadLibrary(dir).sections.length;
      if (now > limit) for (const file of added) rmSync(file);
      else total = now;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return total;
}
