import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module without types, run by `npm start` itself.
import { build, isStale } from "../scripts/build.mjs";
import { startBot } from "../src/bot.js";
import { openStore } from "../src/store/open.js";
import { CONTENT_DIR, startTestBot } from "./helpers/bot.js";

/** Issue 21, items 5 and 7: the playground's own store, the CLI in a pipe, and SIGTERM to `npm start`. */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Empty Slack settings keep dotenv from filling them in from a developer's .env. */
const NO_SLACK = { SLACK_BOT_TOKEN: "", SLACK_APP_TOKEN: "", SLACK_SIGNING_SECRET: "" };
const OFF_TOPIC = "which parking garage level is reserved for visitors";
const LONG_AGO = new Date(0);

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "em-focus-first-hour-"));
  if ((isStale as () => boolean)()) await (build as () => Promise<void>)();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function gapsIn(databaseUrl: string): Promise<string[]> {
  const store = await openStore(databaseUrl);
  try {
    return (await store.listGaps(LONG_AGO)).map((gap) => gap.question);
  } finally {
    await store.close();
  }
}

async function askPlayground(url: string, question: string): Promise<void> {
  const response = await fetch(new URL("/api/ask", url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question }),
  });
  expect(response.status).toBe(200);
}

describe("the playground's own store (item 5)", () => {
  it("without Slack: a playground gap goes to its own file beside DATABASE_URL, never into the bot's", async () => {
    const botDb = join(dir, "alone.db");
    const bot = await startBot({
      PORT: "0",
      CONTENT_DIR,
      DATABASE_URL: botDb,
      LOG_LEVEL: "error",
      ...NO_SLACK,
    });
    try {
      expect(bot.mode).toBe("playground");
      await askPlayground(bot.playgroundUrl ?? "", OFF_TOPIC);
    } finally {
      await bot.stop();
    }
    expect(await gapsIn(join(dir, "alone-playground.db"))).toEqual([OFF_TOPIC]);
    expect(await gapsIn(botDb)).toEqual([]);
  });

  it("beside Slack (PLAYGROUND=on): the bot's gaps stay the bot's", async () => {
    const playgroundDb = join(dir, "beside-playground.db");
    const t = await startTestBot({
      env: { PLAYGROUND: "on", PLAYGROUND_PORT: "0", PLAYGROUND_DATABASE_URL: playgroundDb },
    });
    try {
      await askPlayground(t.bot.playgroundUrl ?? "", OFF_TOPIC);
      expect(await gapsIn(t.databasePath)).toEqual([]);
    } finally {
      await t.stop();
    }
    expect(await gapsIn(playgroundDb)).toEqual([OFF_TOPIC]);
  });
});

/** Runs the built `em-focus` command with `input` on a real pipe. */
async function cli(args: string[], input: string) {
  const child = spawn(process.execPath, ["dist/cli.js", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", CONTENT_DIR, ...NO_SLACK },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk) => {
    out += String(chunk);
  });
  child.stderr.on("data", (chunk) => {
    err += String(chunk);
  });
  child.stdin.end(input);
  const [code] = (await once(child, "exit")) as [number];
  return { code, out, err };
}

describe("the em-focus command in a shell (item 7)", () => {
  it("printf 'q\\n' | em-focus ask: answers without --json, and skips blank lines", async () => {
    const { code, out, err } = await cli(["ask"], "q\n\n   \nI miss coding\n");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/^The article has no guidance on that\./);
    expect(out).toMatch(/^IC focus — /m);
    expect(out.match(/^Why: /gm) ?? []).toHaveLength(1);
  });

  it("a mistyped option gets 'did you mean', not Node's parse error", async () => {
    const { code, out, err } = await cli(["ask", "--jsno", "q"], "");
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain('unknown option "--jsno"; did you mean --json?');
    expect(err).not.toMatch(/ERR_PARSE_ARGS|TypeError|^\s+at /m);
  });
});

describe("npm start and SIGTERM (item 7)", () => {
  it("stops serving when npm gets SIGTERM: no node child is left behind", async () => {
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? dir,
        PORT: "0",
        HOST: "127.0.0.1",
        CONTENT_DIR,
        DATABASE_URL: join(dir, "npm-start.db"),
        ...NO_SLACK,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`npm start exited ${code}`)));
      createInterface({ input: child.stdout }).on("line", (line) => {
        const found = /playground running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line)?.[1];
        if (found) resolve(found);
      });
    });
    expect((await fetch(url)).status).toBe(200);
    child.kill("SIGTERM");
    await once(child, "exit");
    // npm itself is gone; the bot it started must follow within a moment, not keep serving.
    const deadline = Date.now() + 5000;
    let serving = true;
    while (serving && Date.now() < deadline) {
      serving = await fetch(url).then(
        () => true,
        () => false,
      );
      if (serving) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(serving).toBe(false);
  });
});
