import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_CANDIDATES } from "../src/gap-grouping.js";
import { type GapGroup, groupGaps } from "../src/gaps.js";
import { cleanQuestion } from "../src/match/question.js";
import { termOf, tokenize } from "../src/match/terms.js";
import { GAP_MAX_ROWS } from "../src/store/gaps.js";
import type { Gap } from "../src/store/types.js";
import { startTestBot, type TestBot } from "./helpers/bot.js";
import { sendCommand } from "./helpers/slack-requests.js";

/** Issue 17, item 6: 10,000 gaps are grouped in linear work, without holding the bot, and no more are kept. */

/** The grouping before issue 17: every gap against every group (kept here to compare results). */
function quadraticGroups(gaps: readonly Gap[]): number[] {
  const termsOf = (q: string) =>
    new Set(
      tokenize(cleanQuestion(q))
        .map(termOf)
        .filter((t): t is string => t !== null),
    );
  const similar = (a: Set<string>, b: Set<string>) => {
    if (a.size === 0 || b.size === 0) return a.size === b.size;
    let shared = 0;
    for (const term of a) if (b.has(term)) shared += 1;
    return shared / (a.size + b.size - shared) >= 0.5;
  };
  const groups: { terms: Set<string>; n: number }[] = [];
  for (const gap of gaps) {
    const terms = termsOf(gap.question);
    const group = groups.find((g) => similar(g.terms, terms));
    if (group) group.n += 1;
    else groups.push({ terms, n: 1 });
  }
  return groups.map((g) => g.n).sort((a, b) => b - a);
}

/** A seeded stream of numbers, so that every run groups the same gaps. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const TOPICS = [
  "which parking level is reserved for visitors",
  "how do I expense a laptop",
  "what is our vacation policy",
  "where is the wifi password",
  "how do I book a meeting room",
  "who approves travel to conferences",
  "how do I change my payroll bank account",
  "can I bring my dog to the office",
];
const FILLER = ["please", "quick question", "again", "asap", "for my team", "this week", "in berlin"];

/** 10,000 gaps: the same few questions in many wordings, and thousands asked once (made-up words). */
function manyGaps(count: number): Gap[] {
  const random = seeded(17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const made = () => `zq${Math.floor(random() * 5000).toString(36)}`;
  return Array.from({ length: count }, (_, i) => ({
    question:
      i % 2 === 0
        ? `${pick(TOPICS)} ${pick(FILLER)}`
        : `${made()} ${made()} ${made()} ${made()} ${pick(["report", "budget", "badge"])}`,
    outcome: i % 5 === 0 ? "not-helpful" : "off-topic",
    articleSlug: i % 5 === 0 ? "levels" : null,
    sectionId: i % 5 === 0 ? "wide" : null,
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
  }));
}

describe("grouping gaps is linear in their number (item 6)", () => {
  it("groups 10,000 gaps with a bounded number of comparisons per gap", () => {
    const gaps = manyGaps(10_000);
    const work = { comparisons: 0 };
    const groups = groupGaps(gaps, work);
    expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(10_000);
    // Each gap is compared with at most MAX_CANDIDATES groups; the quadratic grouping compared each
    // with every group so far (here about 5,000 groups: some 25 million comparisons).
    expect(work.comparisons).toBeGreaterThan(0);
    expect(work.comparisons).toBeLessThanOrEqual(10_000 * MAX_CANDIDATES);
    expect(work.comparisons).toBeLessThan(10 * 10_000);
  });

  it("stays bounded when every question shares a common word", () => {
    const gaps = manyGaps(10_000).map((g, i) => ({ ...g, question: `parking spot a${i}` }));
    const work = { comparisons: 0 };
    groupGaps(gaps, work);
    expect(work.comparisons).toBeGreaterThan(0);
    expect(work.comparisons).toBeLessThanOrEqual(10_000 * MAX_CANDIDATES);
  });

  it("groups as the quadratic grouping did", () => {
    const gaps = manyGaps(2_000);
    const counts = (groups: GapGroup[]) => groups.map((g) => g.count).sort((a, b) => b - a);
    expect(counts(groupGaps(gaps))).toEqual(quadraticGroups(gaps));
  });
});

function seed(path: string): void {
  const db = new Database(path);
  try {
    const insert = db.prepare(
      "insert into gaps (id, question, outcome, article_slug, section_id, created_at) values (?, ?, ?, ?, ?, ?)",
    );
    const now = Date.now();
    db.transaction(() => {
      for (const [i, gap] of manyGaps(10_000).entries()) {
        insert.run(
          `seed-${i}`,
          gap.question,
          gap.outcome,
          gap.articleSlug,
          gap.sectionId,
          now - (i + 1) * 1000,
        );
      }
    })();
  } finally {
    db.close();
  }
}

describe("10,000 gaps beside the bot (item 6)", () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ env: { PLAYGROUND: "on", PLAYGROUND_PORT: "0" } });
    // The bot's store (kept to 10,000 rows) and the playground's own beside it (issue 21, item 5),
    // whose gaps the playground lists: both hold the 10,000.
    for (const path of [t.databasePath, t.databasePath.replace(/\.db$/, "-playground.db")]) seed(path);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("keeps answering /healthz while the playground groups them", async () => {
    let done = false;
    const started = performance.now();
    const listing = fetch(new URL("/api/gaps", t.bot.playgroundUrl ?? "")).then(async (response) => {
      const body = (await response.json()) as { html: string };
      done = true;
      return { status: response.status, html: body.html, at: performance.now() };
    });
    // When each /healthz, sent one after the other, was answered while the gaps were listed.
    const answered: number[] = [];
    while (!done) {
      const health = await fetch(`${t.url}/healthz`);
      await health.arrayBuffer();
      expect(health.status).toBe(200);
      if (!done) answered.push(performance.now());
    }
    const { status, html, at: finished } = await listing;
    expect(status).toBe(200);
    // Not a speed limit: the listing may take as long as the machine needs, but no stretch of it may
    // hold the bot. The quadratic grouping was one block of most of the listing (seconds), during
    // which no /healthz got through.
    const moments = [started, ...answered, finished];
    const longestWait = Math.max(...moments.slice(1).map((moment, i) => moment - (moments[i] ?? moment)));
    expect(answered.length).toBeGreaterThanOrEqual(3);
    expect(longestWait).toBeLessThan((finished - started) / 2);
    expect(html).toContain("The 100 largest of");
  });

  it("keeps at most 10,000 gaps, dropping the oldest", async () => {
    expect(GAP_MAX_ROWS).toBe(10_000);
    const response = await sendCommand(t.target, { text: "which floor has the gym lockers for guests" });
    expect(response.status).toBe(200);
    const count = (where: string) => {
      const db = new Database(t.databasePath, { readonly: true });
      try {
        return (db.prepare(`select count(*) as n from gaps where ${where}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    await vi.waitFor(() => expect(count("id = 'seed-9999'")).toBe(0));
    expect(count("id not like 'seed-%'")).toBe(1);
    expect(count("1 = 1")).toBe(GAP_MAX_ROWS);
  });
});
