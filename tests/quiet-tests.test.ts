import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("npm test on success (issue 21, item 6)", () => {
  it("prints none of the [ERROR] lines and stack traces a passing suite logs", () => {
    // This suite makes the fake Slack refuse calls on purpose, and the Web API client logs each.
    const run = spawnSync(
      process.execPath,
      ["node_modules/vitest/vitest.mjs", "run", "tests/fake-assistant.test.ts", "--reporter=default"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(0);
    const output = `${run.stdout}\n${run.stderr}`.replace(
      new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"),
      "",
    );
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toContain("[ERROR]");
    expect(output).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
    expect(output).not.toContain("DEBUG");
  });
});
