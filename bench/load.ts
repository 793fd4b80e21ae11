import { connect, type Socket } from "node:net";

/** One request ready to write: the whole HTTP/1.1 message as bytes. */
export type RawRequest = Buffer;

export interface RawLoadResult {
  latenciesMs: number[];
  statuses: Map<number, number>;
  responseBytes: number;
  errors: number;
  seconds: number;
}

export function rawRequest(
  host: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): RawRequest {
  const lines = [`POST ${path} HTTP/1.1`, `host: ${host}`, "connection: keep-alive"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`);
}

/** Length of the first complete response in `data`, its status, or null while it is incomplete. */
function completeResponse(data: Buffer): { length: number; status: number } | null {
  const headerEnd = data.indexOf("\r\n\r\n");
  if (headerEnd < 0) return null;
  const head = data.subarray(0, headerEnd).toString("latin1");
  const status = Number(head.slice(9, 12));
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!match) {
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const end = data.indexOf("\r\n0\r\n\r\n", headerEnd);
      return end < 0 ? null : { length: end + 7, status };
    }
    return { length: headerEnd + 4, status };
  }
  const length = headerEnd + 4 + Number(match[1]);
  return data.length >= length ? { length, status } : null;
}

/**
 * Sends `amount` requests over `connections` keep-alive connections, one in flight on each, as fast
 * as the server answers. Written against raw sockets because a general load generator (autocannon)
 * costs more CPU per request than a bare Bolt app does: on two cores it, not the server, set the pace.
 */
export async function rawLoad(
  port: number,
  requests: readonly RawRequest[],
  amount: number,
  connections: number,
): Promise<RawLoadResult> {
  const latenciesMs: number[] = [];
  const statuses = new Map<number, number>();
  let responseBytes = 0;
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const worker = (): Promise<void> =>
    new Promise((done) => {
      const socket: Socket = connect(port, "127.0.0.1");
      socket.setNoDelay(true);
      let buffered: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const next = () => {
        if (sent >= amount) {
          socket.end();
          done();
          return;
        }
        const request = requests[sent % requests.length] as RawRequest;
        sent += 1;
        sentAt = performance.now();
        socket.write(request);
      };
      socket.on("connect", next);
      socket.on("data", (chunk: Buffer) => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        const response = completeResponse(buffered);
        if (!response) return;
        latenciesMs.push(performance.now() - sentAt);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        responseBytes += response.length;
        buffered = buffered.subarray(response.length);
        next();
      });
      socket.on("error", () => {
        errors += 1;
        done();
      });
    });
  await Promise.all(Array.from({ length: connections }, worker));
  return {
    latenciesMs,
    statuses,
    responseBytes,
    errors,
    seconds: (performance.now() - started) / 1000,
  };
}
