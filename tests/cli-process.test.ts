import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The bin as a process (integration); the commands themselves are tested in process in cli.test.ts.
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONTENT = join(ROOT, "content");

/** One output line; its full shape is checked in cli.test.ts. */
function parseLine(line: string): { question: string; answer: { section?: string } | null } {
  return JSON.parse(line) as { question: string; answer: { section?: string } | null };
}

describe("the em-focus process", () => {
  it("answers three stdin lines with three JSON lines, in order", () => {
    const result = spawnSync("npx", ["tsx", "src/cli.ts", "ask", "--json"], {
      cwd: ROOT,
      input:
        "I miss coding, should I go back?\nwhat's a good laptop\nI now run three teams through their leads\n",
      encoding: "utf8",
      env: { ...process.env, CONTENT_DIR: CONTENT, CONTENT_BASE_URL: "", PUBLIC_URL: "" },
      timeout: 15_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.map(parseLine).map((v) => [v.question, v.answer?.section ?? null])).toEqual([
      ["I miss coding, should I go back?", "ic"],
      ["what's a good laptop", null],
      ["I now run three teams through their leads", "wide"],
    ]);
  });
});
