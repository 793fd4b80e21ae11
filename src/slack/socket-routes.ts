import type { Server } from "node:http";
import type { App } from "@slack/bolt";

/**
 * Bolt's Socket Mode receiver serves the custom routes (`/healthz`, `/articles/…`) with
 * `listen(port)`, which is every interface; in Socket Mode nothing needs to reach them from outside,
 * so they listen on `host` (loopback unless HOST says otherwise).
 */
export function bindSocketModeRoutes(app: App, host: string): Server | null {
  const server = (app as unknown as { receiver?: { httpServer?: Server } }).receiver?.httpServer;
  if (!server) return null;
  const listen = server.listen.bind(server) as (port: number, host: string) => Server;
  server.listen = ((port: number) => listen(port, host)) as Server["listen"];
  return server;
}
