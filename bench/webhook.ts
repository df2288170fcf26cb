/**
 * 1,000 hires in one signed webhook call (issue #14): the real bot over HTTP,
 * the fake Descope and Slack on loopback, a real Redis. Measures the time to
 * the 200 (the hires are in Redis, the checklist posted, the first evaluation done).
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { FakeDescope } from "../test/fakes/descope.js";
import { webhookHeaders } from "../test/fakes/hris.js";
import { FakeSlack } from "../test/fakes/slack.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export async function webhookBatch(
  n = 1000,
): Promise<{ hires: number; ms: number; registered: number }> {
  const fake = new FakeDescope();
  fake.tenants.push({ id: "T1", name: "Acme" });
  const slack = new FakeSlack();
  await Promise.all([fake.start(), slack.start()]);
  const { loadBotConfig } = await import("../src/config/bot.js");
  const { createRuntime } = await import("../src/runtime.js");
  const { createLogger } = await import("../src/log/logger.js");
  const secret = "bench-webhook-secret-0123456789";
  const prefix = `{bench-hook-${randomUUID().slice(0, 8)}}`;
  const runtime = createRuntime(
    loadBotConfig({
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: "bench-signing-secret-0123456789",
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      REDIS_URL,
      SCIMWATCH_REDIS_PREFIX: prefix,
      DESCOPE_PROJECT_ID: fake.projectId,
      DESCOPE_MANAGEMENT_KEY: fake.managementKey,
      DESCOPE_BASE_URL: fake.url,
      SCIMWATCH_WEBHOOK_SECRET: secret,
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
      DESCOPE_AUDIT_RATE_PER_MIN: "6000",
      DESCOPE_MGMT_RATE_PER_MIN: "60000",
    }),
    { role: "bot", log: createLogger({ level: "silent" }) },
  );
  const port = await runtime.start();
  const body = JSON.stringify({
    tenant: "Acme",
    hires: Array.from({ length: n }, (_, i) => ({
      email: `hire${i}@acme.com`,
      name: `Hire ${i}`,
      startDate: "2026-12-07",
    })),
  });
  const headers = webhookHeaders(secret, body);
  const t = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/hooks/hires`, {
    method: "POST",
    body,
    headers,
  });
  const json = (await res.json()) as { registered?: number };
  const ms = performance.now() - t;
  await runtime.stop();
  await Promise.all([fake.stop(), slack.stop()]);
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${prefix}*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
  return { hires: n, ms, registered: json.registered ?? 0 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const w = await webhookBatch();
  console.log(
    `${w.registered} of ${w.hires} hires registered in one webhook call: ${w.ms.toFixed(0)} ms`,
  );
}
