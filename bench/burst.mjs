/**
 * A burst of signed `/scim check` commands, sent from its own process so that
 * the server under test (scimwatch or a bare Bolt app) does not share its
 * event loop with the client that times it (Slack does not share one either).
 * Usage: node bench/burst.mjs <port> <signing secret> <response url base> <n>
 * Prints the ack latencies in ms, as JSON, one per request.
 */
import { createHmac } from "node:crypto";
import { request } from "node:http";

const [port, secret, responseBase, n] = process.argv.slice(2);

function one(i) {
  const body = new URLSearchParams({
    command: "/scim",
    text: `check user${i}@acme.com`,
    user_id: "UBENCH",
    channel_id: "CSUPPORT",
    team_id: "T0",
    response_url: `${responseBase}b${i}`,
    trigger_id: "1.2.3",
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(
      {
        host: "127.0.0.1",
        port: Number(port),
        path: "/slack/events",
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
          "x-slack-request-timestamp": ts,
          "x-slack-signature": sig,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - t));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const xs = await Promise.all(Array.from({ length: Number(n) }, (_, i) => one(i)));
process.stdout.write(JSON.stringify(xs));
