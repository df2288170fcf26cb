/**
 * The anchor of goal 7: a bare Bolt app with the same receiver as scimwatch,
 * one `/scim` command that only acks. Run in its own process, like scimwatch.
 * Usage: node bench/bare-bolt.mjs <signing secret> <slack api url>
 * Prints `listening <port>` when it serves.
 */
import bolt from "@slack/bolt";

const [secret, slackApiUrl] = process.argv.slice(2);
const app = new bolt.App({
  signingSecret: secret,
  authorize: async () => ({ botToken: "xoxb-test-token" }),
  clientOptions: { slackApiUrl },
  logLevel: "error",
});
app.command("/scim", async ({ ack }) => {
  await ack({ text: "ok" });
});
const server = await app.start(0);
process.stdout.write(`listening ${server.address().port}\n`);
process.on("SIGTERM", () => app.stop().then(() => process.exit(0)));
