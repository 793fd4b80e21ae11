// @ts-check
// `npm run build` (also run at install, by `prepare`); the freshness check behind `npm start` is stale.mjs.
// The build type-checks src/ with tsc, then bundles the two entry points (the bot, dist/main.js, and
// the CLI, dist/cli.js) with esbuild: one file per entry plus shared and lazily loaded chunks in
// dist/chunks/. A bundle starts faster than hundreds of modules (node resolves, reads and compiles
// each one), which is what makes a restart instant; see docs/architecture.md. dist/.build-stamp
// records when a build last succeeded, and a start compares it with the newest source or setting
// (stale.mjs: one stat per file), so an unchanged checkout starts at once.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { STAMP } from "./stale.mjs";

/** The freshness check behind `npm start` lives in stale.mjs (start.mjs loads only that module). */
export { isStale } from "./stale.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
/** Loaded by node at run time instead of bundled: native addons and the drivers' optional parts. */
const EXTERNAL = ["better-sqlite3", "pg", "pg-native"];

/**
 * Bolt's index loads every receiver, and two of them pull in large packages em-focus's HTTP mode never
 * uses: Socket Mode's client (with undici and ws) and Express (with body-parser); raw-body, Bolt's body
 * reader, loads iconv-lite (character tables) to decode bodies read with an encoding, which Bolt
 * never asks for. Together they were two thirds of the bundle, and node compiles all of it at every
 * start. In the bundle, the receivers get a stand-in that loads the real package from node_modules
 * the first time it is used (the package itself is left out of the bundle), so Socket Mode and
 * ExpressReceiver still work, they just load on demand. Each stand-in exposes exactly what its
 * importer reads from the package.
 * @type {Record<string, { importer: RegExp, contents: string }>}
 */
/** A stand-in's require, resolved as Bolt resolves it (the version Bolt would get, also when nested). */
/** js-yaml's `!!js/function` type, the one module that requires esprima (see ON_DEMAND). */
const JS_YAML_FUNCTION = /[\\/]js-yaml[\\/]lib[\\/]js-yaml[\\/]type[\\/]js[\\/]function\.js$/;
const FROM_BOLT = 'const fromBolt = require("node:module").createRequire(require.resolve("@slack/bolt"))';
const ON_DEMAND = {
  "@slack/socket-mode": {
    importer: /@slack[\\/]bolt[\\/]dist[\\/]receivers[\\/]SocketModeReceiver\.js$/,
    contents: `${FROM_BOLT}; module.exports = { get SocketModeClient() { return fromBolt("@slack/socket-mode").SocketModeClient; } };`,
  },
  express: {
    importer: /@slack[\\/]bolt[\\/]dist[\\/]receivers[\\/]ExpressReceiver\.js$/,
    contents: [
      FROM_BOLT,
      'function express(...args) { return fromBolt("express")(...args); }',
      'Object.defineProperty(express, "Router", { enumerable: true, get: () => fromBolt("express").Router });',
      "module.exports = express;",
    ].join("\n"),
  },
  // js-yaml (gray-matter's YAML) loads esprima, a JavaScript parser of 280 kB, for its `!!js/function`
  // type, which only its full schema reads; gray-matter parses with the safe schema. js-yaml hides
  // that require from bundlers, so node compiled esprima from node_modules at every start.
  esprima: {
    importer: JS_YAML_FUNCTION,
    contents: [
      'const m = require("node:module");',
      'const fromYaml = () => m.createRequire(m.createRequire(require.resolve("gray-matter")).resolve("js-yaml"))("esprima");',
      "module.exports = { parse: (...args) => fromYaml().parse(...args) };",
    ].join("\n"),
  },
  "iconv-lite": {
    importer: /[\\/]raw-body[\\/]index\.js$/,
    contents: [
      FROM_BOLT,
      'const fromRawBody = (name) => require("node:module").createRequire(fromBolt.resolve("raw-body"))(name);',
      'module.exports = { getDecoder: (...args) => fromRawBody("iconv-lite").getDecoder(...args) };',
    ].join("\n"),
  },
};

/**
 * Bundled, but run on first use: @slack/oauth's state store (which Bolt's index loads in every mode)
 * requires jsonwebtoken, and with it semver, jws and a dozen lodash functions, whose module code
 * ran at every start; only OAuth's install flow signs and verifies a state. The stand-in requires
 * the package from where its importer would (the same version), inside the functions it exposes.
 * @type {Record<string, { importer: RegExp, contents: string }>}
 */
const ON_FIRST_USE = {
  jsonwebtoken: {
    importer: /@slack[\\/]oauth[\\/]dist[\\/]state-stores[\\/]clear-state-store\.js$/,
    contents: [
      'module.exports = { sign: (...args) => require("jsonwebtoken").sign(...args),',
      '  verify: (...args) => require("jsonwebtoken").verify(...args) };',
    ].join("\n"),
  },
};

/** @type {import("esbuild").Plugin} */
export const onDemand = {
  name: "on-demand",
  setup(build) {
    // js-yaml requires esprima through `var _require = require`, which a bundler does not follow: as
    // a plain require, it gets its stand-in like the others.
    build.onLoad({ filter: JS_YAML_FUNCTION }, async (args) => ({
      contents: (await readFile(args.path, "utf8")).replace("_require('esprima')", "require('esprima')"),
      loader: "js",
    }));
    build.onResolve({ filter: /^(?:@slack\/socket-mode|express|iconv-lite|esprima)$/ }, (args) => {
      const stand = ON_DEMAND[args.path];
      return stand?.importer.test(args.importer) ? { path: args.path, namespace: "on-demand" } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: "on-demand" }, (args) => ({
      contents: ON_DEMAND[args.path]?.contents ?? "",
      loader: "js",
      resolveDir: ROOT,
    }));
    build.onResolve({ filter: /^jsonwebtoken$/ }, (args) => {
      const stand = ON_FIRST_USE[args.path];
      return stand?.importer.test(args.importer)
        ? { path: args.path, namespace: "on-first-use", pluginData: { resolveDir: dirname(args.importer) } }
        : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: "on-first-use" }, (args) => ({
      contents: ON_FIRST_USE[args.path]?.contents ?? "",
      loader: "js",
      resolveDir: args.pluginData.resolveDir,
    }));
  },
};

/**
 * The matcher's own code and the examples' parser, as a hash: a trained model cached on disk is
 * reused only by the code that trained it (src/match/model-cache.ts reads the same files itself
 * when it runs unbundled).
 */
function matcherCodeHash() {
  const hash = createHash("sha256");
  const dir = join(ROOT, "src", "match");
  for (const name of readdirSync(dir).sort()) if (name.endsWith(".ts")) hash.update(readFileSync(join(dir, name)));
  for (const file of ["content/examples.ts", "content/jsonl.ts", "content/types.ts"]) hash.update(readFileSync(join(ROOT, "src", file)));
  return hash.digest("hex").slice(0, 16);
}

/** Type-checks and bundles src/ into dist/, then stamps it; exits with a non-zero status when either fails. */
export async function build() {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const checked = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--noEmit"], {
    stdio: "inherit",
  });
  if (checked.status !== 0) {
    process.stderr.write("em-focus: the TypeScript check failed (above); nothing was built or started.\n");
    process.exit(checked.status ?? 1);
  }
  // Loaded only here: a start with nothing to build does not pay for loading esbuild.
  const esbuild = await import("esbuild");
  rmSync(DIST, { recursive: true, force: true });
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { main: "src/main.ts", cli: "src/cli.ts" },
      outdir: "dist",
      chunkNames: "chunks/[name]-[hash]",
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      minify: true,
      sourcemap: "linked",
      external: EXTERNAL,
      define: { EM_FOCUS_MATCHER_CODE: JSON.stringify(matcherCodeHash()) },
      // Bundled CommonJS packages call require() for node's own modules; ESM has none of its own.
      banner: { js: 'import { createRequire as __emFocusRequire } from "node:module"; const require = __emFocusRequire(import.meta.url);' },
      plugins: [onDemand],
      logLevel: "warning",
    });
  } catch {
    process.stderr.write("em-focus: bundling failed (above); nothing was started.\n");
    process.exit(1);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  warmModelCache();
}

/**
 * Trains the matcher on the content once, at build time (so also at `npm install`, through
 * `prepare`), through the CLI's own loading: its cache (node_modules/.cache/em-focus) is then warm for
 * the first start, which restores the model instead of training it (see src/match/model-cache.ts).
 * Best effort: content that does not load yet is reported by the bot itself when it starts.
 */
function warmModelCache() {
  const warmed = spawnSync(process.execPath, [join(DIST, "cli.js"), "ask", "--json", "warm up"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (warmed.status !== 0) {
    process.stderr.write(`em-focus: the model cache was not built now (the first start trains it): ${warmed.stderr.trim().split("\n")[0] ?? ""}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await build();
