/**
 * Warms the request path right after the HTTP receiver starts: 40 signed
 * `/scim help` commands sent to ourselves over loopback compile the code that
 * every command goes through (body parsing, signature verification, Bolt's
 * middleware, our routing and rendering), so the first real burst is acked as
 * fast as later ones. `help` is answered in the ack: nothing reaches Slack,
 * Descope or Redis.
 */
import { createHmac } from "node:crypto";
import { diagnose } from "../core/diagnosis/diagnose.js";
import { toAuditEvent, toUserFacts } from "../descope/events.js";
import { auditSearchResponseSchema, userResponseSchema } from "../descope/schemas.js";
import { httpRequest } from "../net/http.js";
import { diagnosisMessage } from "../render/blocks.js";
import { parseScimCommand } from "./parse.js";

/** Who the warm-up requests come from: not a person, so their lines stay at debug. */
export const WARMUP_USER = "UWARMUP";

/**
 * Runs the pure part of a check once on made-up data (the wire schemas, the
 * verdict, the message), so the first real checks do not compile it while
 * other requests wait for their ack. No I/O.
 */
function warmCheckPath(): void {
  const at = Date.now() - 60_000;
  parseScimCommand("check warmup@scimwatch.invalid Acme");
  const audits = auditSearchResponseSchema.parse({
    audits: [
      {
        ID: "w1",
        action: "SCIMEvent",
        occurred: String(at),
        externalIds: ["warmup@scimwatch.invalid"],
        tenants: ["T"],
        data: { scim_action: "CreateUser", scim_request: { userName: "warmup@scimwatch.invalid" } },
      },
      {
        ID: "w2",
        action: "LoginFailed",
        occurred: String(at),
        externalIds: [],
        tenants: ["T"],
        data: {},
      },
    ],
    total: 2,
  }).audits;
  const user = userResponseSchema.parse({
    user: {
      userId: "U",
      loginIds: ["warmup@scimwatch.invalid"],
      status: "enabled",
      userTenants: [{ tenantId: "T", roleNames: [] }],
      createdTime: Math.floor(at / 1000),
      SCIM: true,
    },
  }).user;
  for (const u of [toUserFacts(user), null]) {
    const d = diagnose(
      {
        loginId: "warmup@scimwatch.invalid",
        tenant: { id: "T", name: "T", jitDisabled: true, groupMappings: [] },
        tenantRequested: true,
        user: u,
        events: audits.map((r) => toAuditEvent(r)),
        idp: { idp: "azure", reason: "warm-up" },
        assignedAt: null,
      },
      Date.now(),
    );
    diagnosisMessage(d, { answerId: "0000000000000000" });
  }
}

export async function warmUp(opts: {
  port: number;
  host: string;
  signingSecret: string;
  rounds?: number;
}): Promise<void> {
  const host = opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${opts.port}/slack/events`;
  warmCheckPath();
  for (let i = 0; i < (opts.rounds ?? 40); i++) {
    const body = new URLSearchParams({
      command: "/scim",
      text: "help",
      user_id: WARMUP_USER,
      channel_id: "CWARMUP",
      team_id: "TWARMUP",
      response_url: "",
      trigger_id: "warmup",
    }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = `v0=${createHmac("sha256", opts.signingSecret).update(`v0:${ts}:${body}`).digest("hex")}`;
    try {
      await httpRequest(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": ts,
          "x-slack-signature": sig,
        },
        body,
        timeoutMs: 2_000,
        direct: true,
      });
    } catch {
      return; // warming is best effort
    }
  }
}
