import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  aliasCollisions,
  contentAdvice,
  missingNearMisses,
  specialWords,
  thinSections,
} from "../src/cli/content-advice.js";
import { runCli } from "../src/cli.js";
import { loadLibrary } from "../src/content/load.js";

const CONTENT = fileURLToPath(new URL("../content", import.meta.url));
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "em-focus-advice-"));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const examples = (section: string | null, n: number, prefix = section ?? "off") =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ question: `${prefix} question ${i}`, section })).join(
    "\n",
  );

const BREAD = `---
title: Baking bread
sections:
  - section: starter
    aliases: [feeding a sourdough starter, sourdough starter smells, pay and compensation]
  - section: shaping
    aliases: [shaping a sourdough loaf, sourdough too flat]
---

## Starter

Feed the sourdough starter daily with flour and water.

## Shaping

Shape the loaf tightly so it holds its form.
`;

const CAREER = `---
title: Careers
sections:
  - section: pay
    aliases: [Pay & compensation, salary bands]
  - section: growth
    aliases: [shaping, growing in a role]
---

## Pay

Managers and staff engineers should be paid alike.

## Growth

Growth comes from harder problems, not titles.
`;

async function check(dir: string) {
  const stdout = new PassThrough();
  let out = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  const code = await runCli(
    ["content", "check"],
    { stdout, stderr: new PassThrough(), stdin: new PassThrough() },
    {
      CONTENT_DIR: dir,
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return { code, out };
}

describe("content check teaches (issue 18, item 4)", () => {
  it("the seed content alone gives no warning", async () => {
    expect(contentAdvice(loadLibrary(CONTENT))).toEqual([]);
    const { code, out } = await check(CONTENT);
    expect(code).toBe(0);
    expect(out).not.toContain("warning:");
  });

  it("warns about a section with far fewer examples than the library's others, and says what to do", () => {
    const dir = folder({
      "bread.md": BREAD,
      "careers.md": CAREER,
      "examples.jsonl": [
        examples("starter", 40),
        examples("shaping", 40),
        examples("pay", 40),
        examples("growth", 6),
        examples(null, 3),
      ].join("\n"),
    });
    const advice = thinSections(loadLibrary(dir));
    expect(advice).toHaveLength(1);
    expect(advice[0]?.file).toBe("careers.md");
    expect(advice[0]?.message).toContain(
      "1 section(s) have far fewer examples than the library's median of 40 a section (#growth 6)",
    );
    expect(advice[0]?.message).toContain("to examples.jsonl until each has at least 10");
  });

  it("counts fewer than five as thin whatever the neighbours have, and says so once for an article with none", () => {
    const dir = folder({
      "bread.md": BREAD,
      "careers.md": CAREER,
      "examples.jsonl": [examples("starter", 4), examples("shaping", 4)].join("\n"),
    });
    const advice = thinSections(loadLibrary(dir));
    expect(advice.map((a) => a.file)).toEqual(["bread.md", "careers.md"]);
    expect(advice[1]?.message).toMatch(/^every section has far fewer examples .*\(#pay 0, #growth 0\)/);
  });

  it("warns about an alias that reads the same as another article's alias or heading", () => {
    const advice = aliasCollisions(loadLibrary(folder({ "bread.md": BREAD, "careers.md": CAREER })));
    expect(advice.map((a) => `${a.file}: ${a.message.split(":")[0]}`)).toEqual([
      'bread.md: alias "pay and compensation" of #starter reads the same as an alias of #pay in careers.md',
      'careers.md: alias "Pay & compensation" of #pay reads the same as an alias of #starter in bread.md',
      'careers.md: alias "shaping" of #growth reads the same as the heading of #shaping in bread.md',
    ]);
    expect(advice[0]?.message).toContain("Reword the alias");
  });

  it("warns about an article whose own words no off-topic example uses, until one does", () => {
    const files = { "bread.md": BREAD, "careers.md": CAREER };
    const without = loadLibrary(folder({ ...files, "examples.jsonl": examples(null, 3) }));
    const bread = without.articles.find((a) => a.slug === "bread");
    if (!bread) throw new Error("no bread article");
    expect(specialWords(without, bread)).toEqual(["sourdough", "starter"]);
    const advice = missingNearMisses(without).filter((a) => a.file === "bread.md");
    expect(advice).toHaveLength(1);
    expect(advice[0]?.message).toMatch(
      /^no off-topic example uses this article's own words "sourdough", "starter"/,
    );
    expect(advice[0]?.message).toContain('"section": null');

    const withNearMiss = loadLibrary(
      folder({
        ...files,
        "examples.jsonl": [
          JSON.stringify({ question: "best sourdough pizza in town?", section: null }),
          JSON.stringify({ question: "my car's starter motor is dead", section: null }),
        ].join("\n"),
      }),
    );
    expect(missingNearMisses(withNearMiss).filter((a) => a.file === "bread.md")).toEqual([]);
  });

  it("content check prints the warnings and still exits 0", async () => {
    const { code, out } = await check(folder({ "bread.md": BREAD, "careers.md": CAREER }));
    expect(code).toBe(0);
    expect(out).toMatch(/^warning: careers\.md: alias "shaping" of #growth /m);
    expect(out.trimEnd().split("\n").at(-1)).toMatch(
      /^ok: 2 article\(s\), 4 sections; \d+ warning\(s\) above$/,
    );
  });
});
