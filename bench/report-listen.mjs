// Preloaded with `node --import ./bench/report-listen.mjs <script>` by the benchmark: prints one line
// when a server starts listening, so the parent learns the port and the moment the process is ready
// without changing the program under test. Used the same way for em-focus and the bare Bolt app.
import net from "node:net";

export const LISTENING_MARKER = "BENCH_LISTENING";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function patchedListen(...args) {
  this.once("listening", () => {
    const address = this.address();
    const port = address && typeof address === "object" ? address.port : String(address);
    process.stdout.write(`${LISTENING_MARKER} ${port}\n`);
  });
  return listen.apply(this, args);
};
