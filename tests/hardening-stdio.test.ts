import { execFileSync, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { guardStdio } from "../src/stdio.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack.js";
import { TEST_SIGNING_SECRET, testEnv } from "./helpers/bot.js";
import { exitWithin, freePort, spawnBot, waitForHttp } from "./helpers/bot-process.js";
import { sendCommand } from "./helpers/slack-requests.js";

function canMakeFifo(): string | undefined {
  try {
    execFileSync("mkfifo", ["--version"], { stdio: "ignore" });
    return undefined;
  } catch (error) {
    return `mkfifo is not available (${String(error)})`;
  }
}
const noFifo = canMakeFifo();
if (noFifo) console.warn(`SKIPPED the dead log reader test: ${noFifo}`);

/**
 * Issue 17, item 1: stdout and stderr go to a FIFO whose reader is killed (a log shipper that
 * died). Every log line then fails with EPIPE; the bot must keep answering and stop on SIGTERM.
 */
describe.skipIf(noFifo !== undefined)(
  `a lost log reader, real process (issue 17, item 1)${noFifo ? ` — skipped: ${noFifo}` : ""}`,
  () => {
    let fake: FakeSlack;
    let dir: string;

    beforeEach(async () => {
      fake = await startFakeSlack();
      dir = mkdtempSync(join(tmpdir(), "em-focus-fifo-"));
    });
    afterEach(async () => {
      await fake?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("keeps answering requests and /healthz after the reader of its stdout/stderr died, and SIGTERM still stops it", async () => {
      const fifo = join(dir, "log");
      execFileSync("mkfifo", [fifo]);
      const reader = spawn("cat", [fifo], { stdio: "ignore" });
      const readerGone = new Promise((resolve) => reader.once("exit", resolve));
      const fd = openSync(fifo, "w"); // returns once `cat` has opened the other end
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      // Debug logging: every request writes log lines, each of them into the dead pipe.
      const env = { ...testEnv(fake, join(dir, "em-focus.db")), PORT: String(port), LOG_LEVEL: "debug" };
      const bot = spawnBot(env, ["ignore", fd, fd]);
      closeSync(fd);
      try {
        await waitForHttp(`${url}/healthz`);
        reader.kill("SIGKILL");
        await readerGone;

        const target = { url, signingSecret: TEST_SIGNING_SECRET };
        for (const user of ["U0PIPE1", "U0PIPE2", "U0PIPE3"]) {
          const answer = await sendCommand(target, {
            text: "I miss coding, should I go back?",
            user_id: user,
          });
          expect(answer.status).toBe(200);
          expect(JSON.stringify(answer.json)).toContain("IC");
        }
        const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
        expect(health.status).toBe(200);

        bot.kill("SIGTERM");
        expect(await exitWithin(bot, 15_000)).toBe(0);
      } finally {
        bot.kill("SIGKILL");
      }
    }, 60_000);
  },
);

/** A stream like stdout on a pipe whose reader died: every write fails, with an 'error' event. */
class DeadPipe extends EventEmitter {
  readonly attempts: string[] = [];
  write(chunk: unknown): boolean {
    this.attempts.push(String(chunk));
    queueMicrotask(() => this.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" })));
    return true;
  }
}

describe("guardStdio (issue 17, item 1)", () => {
  it("says a stream failed once, on the other stream, and drops its lines instead of looping", async () => {
    const stdout = new DeadPipe();
    const stderr = {
      lines: [] as string[],
      on: () => {},
      write: (l: unknown) => stderr.lines.push(String(l)) > 0,
    };
    guardStdio(stdout, stderr);
    stdout.write("first line\n");
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (let i = 0; i < 100; i++) stdout.write(`line ${i}\n`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stdout.attempts).toEqual(["first line\n"]);
    expect(stderr.lines).toHaveLength(1);
    expect(stderr.lines[0]).toContain("stdout failed (EPIPE)");
  });
});
