import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Logger } from "@slack/bolt";
import { projectRoot } from "../project.js";
import { ACTIONS, ALSO_RELEVANT_ACTIONS } from "../slack/views/answer.js";
import { levelOfBlocks } from "../slack/views/levels.js";
import {
  articleScoresHtml,
  explainHtml,
  messageHtml,
  pageHtml,
  problemsHtml,
  questionHtml,
  sectionsHtml,
} from "./pages.js";
import { homeAction, teamHtml } from "./reflection.js";
import { type Studio, UnknownAction } from "./studio.js";

/** The biggest JSON body accepted: a 40,000-character question of emoji fits, with room. */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_QUESTION = 40_000;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const ANSWER_ACTIONS = new Set<string>([...Object.values(ACTIONS), ...ALSO_RELEVANT_ACTIONS]);

/** Something the person can fix: answered 4xx with the reason. */
class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STATIC = join(projectRoot(), "public", "playground");
const statics: Record<string, { type: string; file: string }> = {
  "/app.js": { type: "text/javascript; charset=utf-8", file: "app.js" },
  "/style.css": { type: "text/css; charset=utf-8", file: "style.css" },
};

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "content-type": type,
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    throw new BadRequest(415, "send JSON (content-type: application/json)");
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BadRequest(413, "request body too large");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, "request body too large");
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BadRequest(400, "the body is not JSON");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new BadRequest(400, "the body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function text(body: Record<string, unknown>, field: string, max: number): string {
  const value = body[field];
  if (typeof value !== "string") throw new BadRequest(400, `${field} must be a string`);
  if (value.length > max) throw new BadRequest(400, `${field} is longer than ${max} characters`);
  // Control characters are never shown or matched, as in Slack.
  return value.replace(/(?![\n\t])\p{Cc}/gu, " ");
}

/** An answer card's frame, coloured by the level marker the card itself carries (as Slack shows it). */
function cardClass(blocks: readonly unknown[]): string {
  const level = levelOfBlocks(blocks);
  return level ? `card card-${level}` : "card";
}

/** Extra routes the playground gets from outside (the gaps list, which needs the store). */
export interface PlaygroundExtras {
  gapsHtml?: () => Promise<string>;
}

export interface PlaygroundServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The names this server answers to (IPv6 in brackets) and the port it listens on, once it does. */
export interface PlaygroundSite {
  readonly hosts: ReadonlySet<string>;
  readonly port: () => number | undefined;
}

/** `localhost`, 127.0.0.1 and [::1]; the port is the one bound. */
export function loopbackSite(port: () => number | undefined, extraHost?: string): PlaygroundSite {
  const hosts = new Set(["127.0.0.1", "localhost", "[::1]"]);
  if (extraHost)
    hosts.add(extraHost.includes(":") ? `[${extraHost.toLowerCase()}]` : extraHost.toLowerCase());
  return { hosts, port };
}

/** A name and port that are this server's: both must match, `localhost:9999` is another origin. */
function isOurs(site: PlaygroundSite, hostname: string, port: number): boolean {
  return site.hosts.has(hostname.toLowerCase()) && port === site.port();
}

/** Only requests addressed to this server by one of its names: a foreign page cannot rebind DNS to it. */
function hostAllowed(req: IncomingMessage, site: PlaygroundSite): boolean {
  const match = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(req.headers.host ?? "");
  return match !== null && isOurs(site, match[1] ?? "", Number(match[2] ?? 80));
}

/** An Origin header naming this very server: scheme, host and port. */
function originAllowed(origin: string, site: PlaygroundSite): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === "http:" && isOurs(site, url.hostname, Number(url.port || 80));
}

/**
 * A page on another origin can neither post here nor read here: its Origin would not be ours, and a
 * browser says `Sec-Fetch-Site: cross-site` (or `same-site`, for another port) on every request it
 * makes for one. Requests with neither header (curl, scripts on this machine) are let through.
 */
function crossOrigin(req: IncomingMessage, site: PlaygroundSite): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, site)) return true;
  const fetchSite = req.headers["sec-fetch-site"];
  return fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none";
}

export function createPlaygroundHandler(
  studio: Studio,
  logger: Logger,
  extras: PlaygroundExtras = {},
  site: PlaygroundSite = loopbackSite(() => 80),
) {
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    "GET /": async (_req, res) => {
      studio.reload();
      send(res, 200, "text/html; charset=utf-8", pageHtml(studio.library));
    },
    "POST /api/ask": async (req, res) => {
      const question = text(await readJson(req), "question", MAX_QUESTION);
      studio.reload();
      const { answer, view } = await studio.ask(question);
      json(res, 200, {
        outcome: answer.outcome,
        confidence: answer.answer?.confidence ?? null,
        level: levelOfBlocks(view.blocks),
        html:
          `${questionHtml(question)}<div class="${cardClass(view.blocks)}">` +
          `${messageHtml(view.blocks, "Only visible to you")}</div>`,
      });
    },
    "POST /api/action": async (req, res) => {
      const body = await readJson(req);
      const actionId = text(body, "action_id", 100);
      const value = text(body, "value", 2000);
      if (ANSWER_ACTIONS.has(actionId)) {
        const result = await studio.answerAction(actionId, value);
        json(res, 200, {
          replace: result.replace,
          className: cardClass(result.view.blocks),
          html: messageHtml(result.view.blocks, result.note ?? "Only visible to you"),
        });
        return;
      }
      if (actionId === "prompt_add_note") {
        json(res, 200, { note: studio.note() ?? "", week: null });
        return;
      }
      if (value.startsWith("team-week-")) {
        json(res, 200, {
          info: "In Slack each member answers this privately; in the playground the five members are simulated.",
        });
        return;
      }
      const home = homeAction(studio, actionId, value);
      if (home) {
        json(res, 200, home);
        return;
      }
      if (actionId.startsWith("home_")) {
        json(res, 200, {
          info: "Subscribing happens in Slack; in the playground this week's prompt is always here.",
        });
        return;
      }
      const view = studio.answerPrompt(actionId, value);
      json(res, 200, { replace: true, html: view ? messageHtml(view.blocks) : "" });
    },
    "GET /api/prompts": async (_req, res) => {
      studio.reload();
      const view = studio.promptView();
      json(res, 200, {
        clock: studio.now().toISOString().slice(0, 10),
        html: view ? messageHtml(view.blocks) : `<p class="hint">No prompts in content/prompts.</p>`,
        home: `<div class="card">${messageHtml(studio.homeView().blocks)}</div>`,
        team: teamHtml(studio),
      });
    },
    "POST /api/note": async (req, res) => {
      const body = await readJson(req);
      const note = text(body, "note", 2000);
      const week = typeof body.week === "string" ? studio.weekOf(body.week) : undefined;
      if (!studio.addNote(note, week)) throw new BadRequest(409, "answer this week's prompt first");
      json(res, 200, { saved: true });
    },
    "POST /api/next-week": async (_req, res) => {
      studio.nextWeek();
      json(res, 200, { clock: studio.now().toISOString().slice(0, 10) });
    },
    "GET /api/content": async (_req, res) => {
      studio.reload();
      json(res, 200, {
        problems: problemsHtml(studio),
        html: articleScoresHtml(studio) + sectionsHtml(studio),
      });
    },
    "POST /api/reload": async (_req, res) => {
      studio.reload(true);
      json(res, 200, {
        problems: problemsHtml(studio),
        html: articleScoresHtml(studio) + sectionsHtml(studio),
      });
    },
    "POST /api/explain": async (req, res) => {
      const question = text(await readJson(req), "question", MAX_QUESTION);
      studio.reload();
      json(res, 200, { html: explainHtml(studio, question) });
    },
    "GET /api/gaps": async (_req, res) => {
      json(res, 200, {
        html: extras.gapsHtml
          ? await extras.gapsHtml()
          : `<p class="hint">Gaps are not recorded (RECORD_GAPS=off).</p>`,
      });
    },
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (!hostAllowed(req, site)) throw new BadRequest(421, "unknown host");
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const asset = req.method === "GET" ? statics[path] : undefined;
      if (asset) {
        send(res, 200, asset.type, readFileSync(join(STATIC, asset.file), "utf8"));
        return;
      }
      if (path === "/favicon.ico") {
        res.writeHead(204, { "content-security-policy": CSP });
        res.end();
        return;
      }
      const route = routes[`${req.method} ${path}`];
      if (!route) throw new BadRequest(404, "not found");
      if (path.startsWith("/api/") && crossOrigin(req, site)) {
        throw new BadRequest(403, "cross-origin request refused");
      }
      await route(req, res);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BadRequest) json(res, error.status, { error: error.message });
      else if (error instanceof UnknownAction) json(res, 400, { error: error.message });
      else {
        logger.error("playground request failed", error);
        json(res, 500, { error: "That didn't work (logged). Try again." });
      }
    }
  };
}

/** Serves the playground on host:port (loopback unless told otherwise). */
export function startPlaygroundServer(
  studio: Studio,
  logger: Logger,
  options: { host: string; port: number; extras?: PlaygroundExtras },
): Promise<PlaygroundServer> {
  let bound: number | undefined;
  const site = loopbackSite(() => bound, options.host);
  const handler = createPlaygroundHandler(studio, logger, options.extras, site);
  const server: Server = createServer((req, res) => {
    handler(req, res).catch(() => res.destroy());
  });
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      bound = port;
      const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${shownHost}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
