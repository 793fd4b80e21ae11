// @ts-check
// The baseline of the ack and start-up benchmarks: a Bolt app that acknowledges /em-focus with fixed
// text and does nothing else. Plain JavaScript run by plain node, exactly like `node dist/main.js`.
import { App, LogLevel } from "@slack/bolt";

const env = process.env;
const app = new App({
  token: env.SLACK_BOT_TOKEN,
  signingSecret: env.SLACK_SIGNING_SECRET ?? "",
  logLevel: LogLevel.ERROR,
  clientOptions: env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {},
});

app.command("/em-focus", async ({ ack }) => {
  await ack("fixed text");
});

await app.start({ port: Number(env.PORT ?? 3000), host: env.HOST ?? "127.0.0.1" });

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
