import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (pure functions and in-process commands, no app, process, database or
 * server: `npm run test:unit`, seconds) and `integration` (everything else: the app over HTTP with
 * a fake Slack, child processes, SQLite files, PostgreSQL when TEST_DATABASE_URL is set).
 * `npm test` runs both.
 */
const UNIT = [
  "tests/cli.test.ts",
  "tests/closest-views.test.ts",
  "tests/config.test.ts",
  "tests/content.test.ts",
  "tests/content-advice.test.ts",
  "tests/match.test.ts",
  "tests/match-choose.test.ts",
  "tests/match-cache.test.ts",
  "tests/pacer.test.ts",
  "tests/prompts-content.test.ts",
  "tests/real-questions.test.ts",
  "tests/playground-render.test.ts",
  "tests/prompts-schedule.test.ts",
  "tests/reflection-rules.test.ts",
  "tests/slack-views.test.ts",
  "tests/suggested-prompts.test.ts",
];

export default defineConfig({
  test: {
    // Logs of passing tests (the app's expected [ERROR] lines among them) are noise; a failing
    // test still shows everything it logged.
    silent: "passed-only",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: "unit", include: UNIT } },
      { extends: true, test: { name: "integration", include: ["tests/**/*.test.ts"], exclude: UNIT } },
    ],
  },
});
