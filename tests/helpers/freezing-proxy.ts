import { createConnection, createServer, type Socket } from "node:net";

/**
 * A loopback TCP proxy in front of a server that can stop forwarding: while frozen it keeps every
 * connection open and swallows the bytes both ways, as a frozen server or a link that loses packets
 * does (no reset, no FIN: only timeouts notice). Bytes swallowed are gone for good.
 */
export interface FreezingProxy {
  readonly port: number;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startFreezingProxy(targetHost: string, targetPort: number): Promise<FreezingProxy> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket) => {
    from.on("data", (chunk) => {
      if (!frozen) to.write(chunk);
    });
    from.on("error", () => to.destroy());
    from.on("close", () => to.destroy());
  };
  const server = createServer((client) => {
    const upstream = createConnection({ host: targetHost, port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
