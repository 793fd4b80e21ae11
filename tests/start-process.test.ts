import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module without types, run by `npm start` itself.
import { build, isStale, onDemand } from "../scripts/build.mjs";
import { matcherCodeHash } from "../src/match/model-cache.js";
import { startFakeSlack } from "../test-support/fake-slack.js";
import { sendCommand } from "./helpers/slack-requests.js";

/** Builds dist/ first when the sources changed since the last build (as `npm start` would). */
async function ensureBuilt(): Promise<void> {
  if ((isStale as () => boolean)()) await (build as () => Promise<void>)();
}

/**
 * Runs `script` with node and only the given settings. Empty Slack settings keep dotenv from filling
 * them in from a developer's .env.
 */
function run(script: string, settings: Record<string, string>, nodeArgs: readonly string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: {
      PATH: process.env.PATH ?? "",
      SLACK_BOT_TOKEN: "",
      SLACK_APP_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
      ...settings,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  return { child, stderr: () => stderr };
}

describe("npm start (scripts/start.mjs)", () => {
  it("without Slack settings serves the playground, logs one line with its URL and how to connect Slack, and does not recompile an unchanged build", async () => {
    await ensureBuilt(); // e.g. sources edited since the last build
    const { child, stderr } = run("scripts/start.mjs", {
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: ":memory:",
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr()}`)));
        createInterface({ input: child.stdout }).on("line", (l) => {
          if (l.includes("playground running")) resolve(l);
        });
      });
      expect(line).toMatch(/playground running at http:\/\/127\.0\.0\.1:\d+\/ .*SLACK_BOT_TOKEN.*\.env/);
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)?.[0] ?? "";
      const answer = await fetch(new URL("/api/ask", url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: "I miss coding" }),
      });
      expect(((await answer.json()) as { level: string }).level).toBe("ic");
      expect(stderr()).not.toContain("building");
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("builds first when there is no build yet (a copy of the project without dist/), loading the build script only then, and serves", async () => {
    const copy = mkdtempSync(join(tmpdir(), "em-focus-start-"));
    try {
      for (const entry of [
        "src",
        "scripts",
        "content",
        "public",
        "tsconfig.json",
        "tsconfig.build.json",
        "package.json",
      ]) {
        cpSync(entry, join(copy, entry), { recursive: true });
      }
      symlinkSync(realpathSync("node_modules"), join(copy, "node_modules"));
      const { child, stderr } = run(join(copy, "scripts/start.mjs"), {
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: ":memory:",
      });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr()}`)));
          createInterface({ input: child.stdout }).on("line", (l) => {
            if (l.includes("playground running")) resolve(l);
          });
        });
        expect(stderr()).toContain("sources changed since the last build; building");
        expect(line).toMatch(/playground running at http:\/\/127\.0\.0\.1:\d+\//);
        expect(existsSync(join(copy, "dist", "main.js"))).toBe(true);
      } finally {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);

  it("NODE_ENV=production keeps missing Slack settings fatal", async () => {
    await ensureBuilt();
    const { child, stderr } = run("dist/main.js", { NODE_ENV: "production" });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr()).toContain("SLACK_BOT_TOKEN");
  });
});

describe("the bundle (dist/main.js) in Socket Mode", () => {
  it("loads Socket Mode's client on demand and asks Slack for a connection", async () => {
    await ensureBuilt();
    const fake = await startFakeSlack();
    try {
      const { child, stderr } = run("dist/main.js", {
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_APP_TOKEN: "xapp-1-A0TEST-123-abc",
        SLACK_API_URL: fake.apiUrl,
        DATABASE_URL: ":memory:",
        LOG_LEVEL: "error",
      });
      try {
        // The fake has no Socket Mode, so the client keeps retrying: its first request is the proof
        // that the client was loaded and used.
        for (
          let waited = 0;
          fake.callsTo("apps.connections.open").length === 0 && waited < 15_000;
          waited += 50
        ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(fake.callsTo("apps.connections.open").length).toBeGreaterThan(0);
        expect(stderr()).not.toMatch(/Cannot find module|is not a function|is not a constructor/);
      } finally {
        child.kill("SIGKILL");
      }
    } finally {
      await fake.close();
    }
  });
});

/** The bundle in HTTP mode against the fake Slack, on a free port, logging its port at info. */
function httpMode(apiUrl: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: "bundle-secret",
    SLACK_API_URL: apiUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: ":memory:",
    LOG_LEVEL: "info",
  };
}

describe("the bundle (dist/main.js) in HTTP mode", () => {
  it("reads, verifies and answers a signed /em-focus (Bolt's body reader runs without iconv-lite in the bundle)", async () => {
    await ensureBuilt();
    const fake = await startFakeSlack();
    try {
      const { child, stderr } = run("dist/main.js", httpMode(fake.apiUrl));
      try {
        const port = await new Promise<string>((resolve, reject) => {
          child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr()}`)));
          createInterface({ input: child.stdout }).on("line", (l) => {
            const found = /HTTP mode on port (\d+)/.exec(l);
            if (found?.[1]) resolve(found[1]);
          });
        });
        const target = { url: `http://127.0.0.1:${port}`, signingSecret: "bundle-secret" };
        const answer = await sendCommand(target, { text: "I miss coding" });
        expect(answer.status).toBe(200);
        expect(answer.text).toContain("blocks");
        const forged = await sendCommand({ ...target, signingSecret: "not-the-secret" }, { text: "hi" });
        expect(forged.status).toBe(401);
      } finally {
        child.kill("SIGKILL");
      }
    } finally {
      await fake.close();
    }
  });

  it("starts without loading from disk what a start never uses (esprima, which YAML front matter does not need)", async () => {
    await ensureBuilt();
    const fake = await startFakeSlack();
    try {
      const { child, stderr } = run("dist/main.js", httpMode(fake.apiUrl), [
        "--import",
        "./tests/helpers/report-loaded.mjs",
      ]);
      try {
        const loaded = await new Promise<string[]>((resolve, reject) => {
          child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr()}`)));
          createInterface({ input: child.stdout }).on("line", (l) => {
            // Logged once the content, the model and the store are loaded and the server listens.
            if (/HTTP mode on port \d+/.test(l)) child.kill("SIGUSR2");
            if (l.startsWith("LOADED_FROM_DISK ")) resolve(JSON.parse(l.slice("LOADED_FROM_DISK ".length)));
          });
        });
        // What is loaded from disk is seen: the SQLite driver is.
        expect(loaded.some((path) => path.includes("node_modules/better-sqlite3/"))).toBe(true);
        for (const unused of ["esprima", "express", "@slack/socket-mode", "iconv-lite"]) {
          expect(loaded.filter((path) => path.includes(`node_modules/${unused}/`))).toEqual([]);
        }
      } finally {
        child.kill("SIGKILL");
      }
    } finally {
      await fake.close();
    }
  });
});

describe("the bundle's stand-ins", () => {
  it("still load and work when used: esprima for js-yaml's !!js/function, jsonwebtoken for @slack/oauth's state store", async () => {
    // A small program bundled with the build's plugin, next to node_modules as dist/ is.
    const dir = mkdtempSync(join("node_modules", ".cache", "em-focus-stand-ins-"));
    try {
      writeFileSync(
        join(dir, "entry.js"),
        [
          'import yaml from "js-yaml";',
          'import { ClearStateStore } from "@slack/oauth";',
          "const fn = yaml.load(\"f: !!js/function 'function (a) { return a * 2 }'\").f;",
          'const store = new ClearStateStore("a-state-secret-long-enough-for-hs256");',
          "const now = new Date();",
          'const state = await store.generateStateParam({ scopes: ["commands"] }, now);',
          "const back = await store.verifyStateParam(now, state);",
          "console.log(JSON.stringify({ twice: fn(21), scopes: back.scopes }));",
        ].join("\n"),
      );
      const esbuild = await import("esbuild");
      await esbuild.build({
        entryPoints: [join(dir, "entry.js")],
        outfile: join(dir, "out.mjs"),
        bundle: true,
        format: "esm",
        platform: "node",
        banner: {
          js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
        },
        plugins: [onDemand],
        logLevel: "silent",
      });
      const bundled = readFileSync(join(dir, "out.mjs"), "utf8");
      expect(bundled).toContain("on-demand:esprima");
      expect(bundled).toContain("on-first-use:jsonwebtoken");
      const child = spawn(process.execPath, [join(dir, "out.mjs")], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk) => {
        out += String(chunk);
      });
      child.stderr.on("data", (chunk) => {
        err += String(chunk);
      });
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(err).toBe("");
      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual({ twice: 42, scopes: ["commands"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the bundle and the sources", () => {
  it("share one cached model: the bundle carries the same matcher-code hash the sources compute", async () => {
    await ensureBuilt();
    const bundled = ["dist/main.js", ...readdirSync("dist/chunks").map((f) => join("dist/chunks", f))]
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    expect(bundled).toContain(JSON.stringify(matcherCodeHash()));
  });
});
