/** The one request wrapper: every kind of listener logs one line and answers a failure the same way. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AccessDenied, CodedError, DeadlineError } from "../../src/core/failure.js";
import { createLogger } from "../../src/log/logger.js";
import { Metrics, outcomeLabel } from "../../src/log/metrics.js";
import type { SlackMessage } from "../../src/render/blocks.js";
import { NO_ACCESS } from "../../src/render/notices.js";
import { handle, replyVia, withDeadline } from "../../src/slack/middleware.js";

function harness() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({
    destination: new Writable({
      write(c, _e, cb) {
        lines.push(JSON.parse(String(c)));
        cb();
      },
    }),
  });
  const replies: SlackMessage[] = [];
  const req = {
    who: { userId: "U1", channelId: "C1" },
    reply: async (m: SlackMessage) => void replies.push(m),
  };
  return { log, lines, replies, req };
}

describe("middleware: one log line, one way to fail", () => {
  it.each([
    ["an outcome", async (): Promise<string> => "shown", "shown", null],
    [
      "an expected failure",
      async () => {
        throw new CodedError("descope_unreachable", "Descope did not answer; retry in 1 minute");
      },
      "descope_unreachable",
      /Sharing failed: Descope did not answer/,
    ],
    [
      "a refusal",
      async () => {
        throw new AccessDenied();
      },
      "denied",
      /not enabled in this channel/,
    ],
    [
      "a bug",
      async () => {
        throw new TypeError("x is undefined");
      },
      "error",
      /failed on scimwatch's side/,
    ],
  ] as const)("%s", async (_name, body, outcome, answer) => {
    const h = harness();
    const metrics = new Metrics();
    await handle({ log: h.log, metrics }, "share", "Sharing", h.req, body);
    // The same outcome is counted, and timed, for /metrics.
    const text = await metrics.text();
    expect(text).toContain(`scimwatch_slack_requests_total{kind="share",outcome="${outcome}"} 1`);
    expect(text).toContain('scimwatch_slack_request_duration_seconds_count{kind="share"} 1');
    const info = h.lines.filter((l) => l.level === "info");
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ kind: "share", user: "U1", channel: "C1", outcome });
    expect(typeof info[0]?.ms).toBe("number");
    if (answer) expect(h.replies.map((r) => r.text).join("\n")).toMatch(answer);
    else expect(h.replies).toEqual([]);
    // Only a bug is logged with its stack.
    expect(h.lines.some((l) => l.level === "error")).toBe(outcome === "error");
    if (outcome === "denied") expect(h.replies[0]).toEqual(NO_ACCESS);
  });

  it("a deadline is answered as one, never a hang", async () => {
    const h = harness();
    await handle({ log: h.log }, "check", "The check", h.req, () =>
      withDeadline(new Promise<string>(() => {}), 20),
    );
    expect(h.replies[0]?.text).toMatch(/took too long/);
    expect(h.lines.find((l) => l.level === "info")?.outcome).toBe("deadline");
    expect(new DeadlineError(20).code).toBe("deadline");
  });

  it("replies where the request came from", async () => {
    const sent: unknown[] = [];
    const respond = async (m: unknown) => void sent.push(m);
    const h = harness();
    const msg = { text: "t", blocks: [] };
    await replyVia(respond as never, h.log, "command")(msg);
    await replyVia(respond as never, h.log, "button")(msg);
    await replyVia(respond as never, h.log, "button")(msg, { inChannel: true });
    await replyVia(respond as never, h.log, "button")(msg, { replace: true });
    expect(sent).toEqual([
      { response_type: "ephemeral", replace_original: true, ...msg },
      { response_type: "ephemeral", replace_original: false, ...msg },
      { response_type: "in_channel", replace_original: false, ...msg },
      { replace_original: true, ...msg },
    ]);
    // A failed respond is logged, not thrown.
    await replyVia(
      (async () => {
        throw new Error("gone");
      }) as never,
      h.log,
      "button",
    )(msg);
    expect(h.lines.some((l) => l.msg === "respond failed")).toBe(true);
  });

  it("keeps outcome labels few: counts inside an outcome are dropped", () => {
    expect(outcomeLabel("registered_3_rejected_1")).toBe("registered_rejected");
    expect(outcomeLabel("not_provisioned")).toBe("not_provisioned");
  });
});
