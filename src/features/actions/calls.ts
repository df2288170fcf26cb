/**
 * The calls fix-it actions make, once approved (or after `scimwatch act
 * --yes`): Entra's provision on demand and restart (write app), Okta's
 * assignment (write token): into the group assigned to the app, or directly
 * when the app has none. What they return is what the record shows.
 */
import * as z from "zod";
import { findJob, findUser } from "../../connectors/entra-facts.js";
import { ConnectorError, type EntraHttp } from "../../connectors/entra-http.js";
import { provisionOnDemand, restartJob, userRuleId } from "../../connectors/entra-write.js";
import { appGroupsFrom, appGroupsPath } from "../../connectors/okta-facts.js";
import { OktaHttp } from "../../connectors/okta-http.js";
import type { Action, ActionKind } from "../../core/actions/model.js";
import type { DescopeClient } from "../../descope/client.js";
import type { EgressPolicy } from "../../net/egress.js";
import { type Connection, oktaWriteSealContext } from "../../redis/connections.js";
import { SealError, type SecretBox } from "../../redis/secret-box.js";
import { revokeOldKeys, rotateKey } from "./rotate.js";

export interface ActionClients {
  entraRead: EntraHttp | null;
  entraWrite: EntraHttp | null;
  /** Okta's write client for the tenant, opened only when an Okta call is made. */
  oktaWrite?: () => Promise<OktaHttp>;
  /** Descope's management API (the SCIM key rotation). */
  descope?: Pick<DescopeClient, "managementCall" | "baseUrl">;
}

/**
 * What a call returns: what the record shows, and — for a new SCIM key only —
 * its token, handed to the approver once and never stored, logged or counted.
 */
/** Whether someone is there to be shown a new key's token: the approver at the click, or nobody (a sweep catching up). */
export type TokenTo = "approver" | "nobody";

export type Outcome = Pick<Action, "state" | "outcome"> &
  Partial<Pick<Action, "steps" | "newKeyId" | "keysRevoked">> & { secret?: string };

/** Okta's write client of a stored connection: its sealed write token opened with SCIMWATCH_SECRETS_KEY. */
export function oktaWriteOf(
  c: Extract<Connection, { idp: "okta" }>,
  secrets: SecretBox,
  egress: EgressPolicy,
): OktaHttp {
  try {
    return new OktaHttp(
      c.oktaUrl,
      secrets.open(c.writeSealed ?? "", oktaWriteSealContext(c)),
      egress,
    );
  } catch (e) {
    throw new ConnectorError(
      "bad_credentials",
      `the stored Okta write token cannot be opened: ${e instanceof SealError ? e.message : "grant write access again"}`,
    );
  }
}

const oktaUserSchema = z.object({
  id: z.string(),
  profile: z.object({ login: z.string() }).partial().default({}),
});

export async function makeCall(
  c: ActionClients,
  kind: ActionKind,
  t: Action["target"],
  loginId: string,
  tokenTo: TokenTo = "approver",
): Promise<Outcome> {
  if (t.idp === "descope") {
    if (!c.descope)
      throw new ConnectorError("bad_credentials", "Descope's management API is not configured");
    if (kind === "rotate_key") return rotateKey(c, t, tokenTo);
    if (!t.keep) return { state: "failed", outcome: "no new key named to keep: nothing was sent" };
    const { kept, said } = await revokeOldKeys(c.descope, { ...t, keep: t.keep });
    return { state: kept ? "done" : "failed", outcome: `Descope: ${said}.` };
  }
  if (t.idp === "okta") {
    if (kind !== "assign" || !c.oktaWrite)
      throw new ConnectorError("bad_response", `${kind} is not an Okta action`);
    return assignInOkta(await c.oktaWrite(), t, loginId);
  }
  const write = c.entraWrite;
  const read = c.entraRead;
  if (!write || !read)
    throw new ConnectorError(
      "bad_credentials",
      "Entra's read or write app is not configured on scimwatch",
    );
  if (kind === "restart_job") {
    await restartJob(write, t.entraTenant, t);
    return {
      state: "done",
      outcome:
        "Entra answered 204: the job restarts (quarantine lifted; the next cycle re-reads everyone and can take longer)",
    };
  }
  const user = await findUser(read, t.entraTenant, loginId);
  if (!user) return { state: "failed", outcome: `no Entra user ${loginId}: nothing was sent` };
  const ruleId = await userRuleId(read, t.entraTenant, t.spId, t.jobId);
  const r = await provisionOnDemand(write, t.entraTenant, { ...t, ruleId, userObjectId: user.id });
  return {
    state: /success/i.test(r.result) ? "done" : "failed",
    outcome: `${r.result}${r.action ? ` (${r.action})` : ""}${r.errorCode ? `: ${r.errorCode}` : ""}${r.error ? ` — ${r.error}` : ""}`,
    steps: r.steps,
  };
}

/** Okta (idp-apis.md O6): add them to the app's assigned group; without one, assign them directly. */
async function assignInOkta(
  http: OktaHttp,
  t: Extract<Action["target"], { idp: "okta" }>,
  loginId: string,
): Promise<Outcome> {
  const got = await http.get(`/api/v1/users/${encodeURIComponent(loginId)}`);
  const u = got ? oktaUserSchema.safeParse(got.json) : null;
  if (!u?.success) return { state: "failed", outcome: `no Okta user ${loginId}: nothing was sent` };
  const groups = appGroupsFrom(await http.list(appGroupsPath(t.appId)));
  const g = groups[0];
  if (g) {
    const r = await http.send(
      "PUT",
      `/api/v1/groups/${encodeURIComponent(g.id)}/users/${encodeURIComponent(u.data.id)}`,
      {},
    );
    return {
      state: "done",
      outcome: `Okta answered ${r.status}: ${loginId} is now in ${g.name}, the group assigned to ${t.appName}; Okta pushes them to Descope on this event (usually within minutes).`,
    };
  }
  const r = await http.send("POST", `/api/v1/apps/${encodeURIComponent(t.appId)}/users`, {
    id: u.data.id,
    scope: "USER",
    credentials: { userName: loginId },
  });
  return {
    state: "done",
    outcome: `Okta answered ${r.status}: ${loginId} is assigned to ${t.appName} directly (the app has no group). Better: assign a group to the app, so the next person is not forgotten.`,
  };
}

/** For a restart: the quarantine's reason, shown before approval (read with the read-only app). */
export async function quarantineOf(
  read: EntraHttp | null,
  kind: ActionKind,
  t: Action["target"],
): Promise<string> {
  if (kind !== "restart_job" || t.idp !== "azure" || !read) return "";
  const job = await findJob(read, t.entraTenant, t.spId).catch(() => null);
  const q = job?.status?.quarantine;
  if (job?.status?.code !== "Quarantine") return "";
  return `. The job is in quarantine${q?.reason ? ` (${q.reason})` : ""}${q?.error?.message ? `: ${q.error.message}` : ""}; fix that cause first, or it returns`;
}
