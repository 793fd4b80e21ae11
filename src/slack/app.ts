import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type CustomRoute, type LogLevel, webApi } from "@slack/bolt";
import type { Config, OAuthSettings, SlackSettings } from "../config.js";
import { webClientOptions } from "../slack-client.js";
import { isPostgresUrl } from "../store/url.js";
import { articlePage } from "./article-page.js";
import { eventMemory } from "./dedupe.js";
import type { BotDeps } from "./deps.js";
import { storeErrorIn, tellPersonItFailed } from "./failures.js";
import { installerOptions } from "./installer.js";
import { registerListeners } from "./listeners/index.js";
import { privacyRoute } from "./privacy-page.js";
import { GuardedHTTPReceiver } from "./receiver.js";
import { bindSocketModeRoutes } from "./socket-routes.js";

export interface SlackApp {
  app: App;
  /** Starts listening (HTTP) or connects (Socket Mode). Resolves when ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The HTTP port actually bound, useful when PORT=0 (in Socket Mode: that of /healthz and the article pages). */
  port(): number | null;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function routes(deps: BotDeps, contentDir: string): CustomRoute[] {
  return [
    privacyRoute(contentDir),
    {
      path: "/healthz",
      method: ["GET"],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const store = await deps.store.health();
        const problems = deps.problems?.list() ?? {};
        const ok = store.ok && Object.keys(problems).length === 0;
        // One install's token failing is that install's trouble, not the service's: detail, not 503.
        const paused = deps.problems?.pausedInstalls() ?? {};
        json(res, ok ? 200 : 503, {
          ok,
          content: { articles: deps.library.articles.length, sections: deps.library.sections.length },
          store,
          ...(Object.keys(problems).length > 0 ? { problems } : {}),
          ...(Object.keys(paused).length > 0 ? { paused_installs: paused } : {}),
        });
      },
    },
    {
      path: "/articles/:slug",
      method: ["GET"],
      handler: async (req: IncomingMessage & { params?: Record<string, unknown> }, res: ServerResponse) => {
        const article = deps.library.articles.find((a) => a.slug === req.params?.slug);
        if (!article) {
          res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
          res.end("No such article.\n");
          return;
        }
        const page = await articlePage(article);
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(page);
      },
    },
  ];
}

/**
 * Builds the Bolt app in Socket Mode or HTTP mode from the settings; both are wired the same way.
 * Web API calls fail fast (no retries, 429 rejected) because a person is waiting for each reply.
 */
export function createSlackApp(
  config: Config,
  settings: SlackSettings | OAuthSettings,
  deps: BotDeps,
): SlackApp {
  const oauth = "clientId" in settings ? settings : null;
  const common = {
    ...(oauth ? {} : { token: (settings as SlackSettings).botToken }),
    logger: deps.logger,
    logLevel: config.logLevel as LogLevel,
    customRoutes: routes(deps, config.contentDir),
    deferInitialization: true,
    // No listener reads context.conversation; Bolt's default store otherwise looks every request's
    // conversation up (and builds an Error with a stack trace for each one it does not know).
    convoStore: false as const,
    // The error handler gets the request body, to tell the person whose request failed.
    extendedErrorHandler: true,
    clientOptions: webClientOptions(settings.apiUrl ?? null, deps.logger),
  };
  const app =
    settings.mode === "socket"
      ? new App({
          ...common,
          socketMode: true,
          appToken: settings.appToken ?? "",
          installerOptions: { port: config.port },
        })
      : new App({
          ...common,
          receiver: new GuardedHTTPReceiver({
            signingSecret: settings.signingSecret ?? "",
            port: config.port,
            customRoutes: common.customRoutes,
            logger: deps.logger,
            logLevel: common.logLevel,
            ...(oauth && deps.installations
              ? installerOptions(oauth, deps.store, deps.installations, deps.logger, deps.library)
              : {}),
          }),
        });

  const routesServer =
    settings.mode === "socket" ? bindSocketModeRoutes(app, config.host ?? "127.0.0.1") : null;

  // Slack resends an event it believes failed; the same event_id must never be answered twice, also
  // when the retry reaches another instance sharing the PostgreSQL database.
  const recent = eventMemory(isPostgresUrl(config.databaseUrl), deps.store, deps.logger);
  // Checked first by the listeners' one global middleware (Bolt runs each middleware for every request).
  registerListeners(app, deps, async (eventId) => {
    if (await recent.firstTime(eventId)) return true;
    deps.logger.debug(`Ignoring repeated delivery of event ${eventId}`);
    return false;
  });
  // Bolt's index does not export ExtendedErrorHandlerArgs; this is its shape.
  app.error((async ({
    error,
    body,
    context,
  }: {
    error: Error;
    body: unknown;
    context?: { botToken?: string };
  }) => {
    const storeError = storeErrorIn(error);
    deps.logger.error(
      storeError ? "The store failed while handling a request" : "Unhandled error in a listener",
      storeError ?? error,
    );
    // With many installs app.client has no token: the request's own install's token tells them;
    // a request that was never authorized (no install) has none to tell them with.
    if (oauth && !context?.botToken) return;
    const client =
      oauth && context?.botToken
        ? new webApi.WebClient(context.botToken, webClientOptions(settings.apiUrl ?? null, deps.logger))
        : app.client;
    await tellPersonItFailed(client, body, error, deps.logger);
  }) as unknown as Parameters<App["error"]>[0]);

  let server: { address(): unknown } | null = null;
  return {
    app,
    async start() {
      await app.init();
      const started = (await app.start(
        config.host ? ({ port: config.port, host: config.host } as unknown as number) : config.port,
      )) as unknown;
      server =
        started && typeof started === "object" && "address" in started ? (started as typeof server) : null;
    },
    async stop() {
      await app.stop();
    },
    port() {
      const address = (server ?? routesServer)?.address();
      return address && typeof address === "object" && "port" in address
        ? (address as { port: number }).port
        : null;
    },
  };
}
