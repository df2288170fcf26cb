/**
 * Reads what the Entra rules need (shared/reference/idp-apis.md §2): the
 * enterprise app's service principal, the user, who is assigned, the user's
 * groups, the provisioning logs and the job. Every body is checked with zod
 * (unknown fields ignored); a call the permissions do not allow is named, not fatal.
 */
import * as z from "zod";
import type { EntraFacts, EntraGroup } from "../core/idp-side/entra.js";
import { ConnectorError, type EntraHttp } from "./entra-http.js";
import { optional, parseAll } from "./read.js";

const spSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string().default(""),
});
type ServicePrincipal = z.infer<typeof spSchema>;
const userSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string().default(""),
  mail: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
});
const assignmentSchema = z.object({
  principalId: z.string(),
  principalType: z.string(),
  principalDisplayName: z.string().nullish(),
  createdDateTime: z.string().nullish(),
});
const dirObjectSchema = z.object({
  "@odata.type": z.string().optional(),
  id: z.string(),
  displayName: z.string().nullish(),
  securityEnabled: z.boolean().nullish(),
});
const logSchema = z.object({
  activityDateTime: z.string(),
  provisioningAction: z.string().default("other"),
  sourceIdentity: z.object({ id: z.string().nullish() }).nullish(),
  provisioningStatusInfo: z
    .object({
      status: z.string().default("unknown"),
      errorInformation: z
        .object({ errorCode: z.string().nullish(), reason: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
  provisioningSteps: z
    .array(
      z.object({
        status: z.string().nullish(),
        details: z.record(z.string(), z.unknown()).nullish(),
      }),
    )
    .nullish(),
});
const jobSchema = z.object({
  id: z.string(),
  schedule: z.object({ interval: z.string().nullish(), state: z.string().nullish() }).nullish(),
  status: z
    .object({
      code: z.string().default("Active"),
      steadyStateFirstAchievedTime: z.string().nullish(),
      lastExecution: z
        .object({ timeBegan: z.string().nullish(), timeEnded: z.string().nullish() })
        .nullish(),
      quarantine: z
        .object({
          reason: z.string().nullish(),
          nextAttempt: z.string().nullish(),
          error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const q = (s: string) => s.replace(/'/g, "''");

/** The enterprise app by appId or display name; refuses an ambiguous name. */
export async function findServicePrincipal(
  http: EntraHttp,
  tenant: string,
  app: string,
): Promise<ServicePrincipal | null> {
  const filter = GUID.test(app) ? `appId eq '${q(app)}'` : `displayName eq '${q(app)}'`;
  const list = parseAll(
    spSchema,
    (await http.list(
      tenant,
      `/servicePrincipals?$filter=${encodeURIComponent(filter)}&$select=id,appId,displayName`,
    )) ?? [],
  );
  if (list.length > 1)
    throw new ConnectorError(
      "bad_response",
      `${list.length} enterprise apps are named ${app} in Entra tenant ${tenant}: connect with its appId instead (app=<appId>)`,
    );
  return list[0] ?? null;
}

/** The provisioning job of the app, or null when it has none. */
export async function findJob(http: EntraHttp, tenant: string, spId: string) {
  const jobs = parseAll(
    jobSchema,
    (await http.list(tenant, `/servicePrincipals/${spId}/synchronization/jobs`)) ?? [],
  );
  return jobs[0] ?? null;
}

export async function findUser(http: EntraHttp, tenant: string, loginId: string) {
  const direct = await http.get(
    tenant,
    `/users/${encodeURIComponent(loginId).replace(/%40/g, "@")}?$select=id,userPrincipalName,mail,accountEnabled,displayName`,
  );
  const byUpn = userSchema.safeParse(direct);
  if (direct !== null && byUpn.success) return byUpn.data;
  const filter = `mail eq '${q(loginId)}' or userPrincipalName eq '${q(loginId)}'`;
  const hits = parseAll(
    userSchema,
    (await http.list(
      tenant,
      `/users?$filter=${encodeURIComponent(filter)}&$select=id,userPrincipalName,mail,accountEnabled`,
    )) ?? [],
  );
  return hits.length === 1 ? (hits[0] ?? null) : null;
}

const groupsOf = (items: unknown[] | null): EntraGroup[] | null =>
  items === null
    ? null
    : parseAll(dirObjectSchema, items)
        .filter((g) => !g["@odata.type"] || g["@odata.type"] === "#microsoft.graph.group")
        .map((g) => ({
          id: g.id,
          displayName: g.displayName ?? g.id,
          securityEnabled: g.securityEnabled ?? undefined,
        }));

/** Pages of provisioning logs read at most, looking for one user's newest row (said in the answer). */
const LOG_PAGES = 10;

type LogRow = z.infer<typeof logSchema>;

/**
 * The user's provisioning log rows, newest first: filtered by Graph on the app
 * and the user and ordered by time (Graph has no default order), following
 * nextLink through empty pages until a row is found or LOG_PAGES were read.
 * When Graph refuses the user filter, the app's rows, newest first, filtered here.
 */
async function readLogs(
  http: EntraHttp,
  t: string,
  spId: string,
  userId: string,
): Promise<{ rows: LogRow[]; pages: number; ended: boolean }> {
  const mine = (items: unknown[]) =>
    parseAll(logSchema, items).filter(
      (l) => !l.sourceIdentity?.id || l.sourceIdentity.id === userId,
    );
  const read = (filter: string, top: number) =>
    http.pages(
      t,
      `/auditLogs/provisioning?$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent("activityDateTime desc")}&$top=${top}`,
      LOG_PAGES,
      (items) => mine(items).length > 0,
    );
  let got: Awaited<ReturnType<typeof read>>;
  try {
    got = await read(`servicePrincipal/id eq '${spId}' and sourceIdentity/id eq '${userId}'`, 50);
  } catch (e) {
    if (!(e instanceof ConnectorError) || e.problem !== "bad_response") throw e;
    got = await read(`servicePrincipal/id eq '${spId}'`, 100);
  }
  const rows = mine(got?.items ?? []).sort((a, b) =>
    b.activityDateTime.localeCompare(a.activityDateTime),
  );
  return { rows, pages: got?.pages ?? 0, ended: got?.ended ?? true };
}

/**
 * Everyone assigned to the app (E2), to the end of the list: an app with
 * thousands of direct assignments keeps a user's own row on a later page.
 * Null on a 404: the app itself is gone, not "nobody is assigned".
 */
export async function appAssignments(
  http: EntraHttp,
  tenant: string,
  spId: string,
): Promise<Array<z.infer<typeof assignmentSchema>> | null> {
  const items = await http.list(
    tenant,
    `/servicePrincipals/${spId}/appRoleAssignedTo?$top=999`,
    1_000,
  );
  return items === null ? null : parseAll(assignmentSchema, items);
}

export async function readEntraFacts(
  http: EntraHttp,
  c: { entraTenant: string; spId: string; appName: string },
  loginId: string,
): Promise<{ facts: EntraFacts; unread: string[] }> {
  const unread: string[] = [];
  const t = c.entraTenant;
  const user = await findUser(http, t, loginId);
  const empty: EntraFacts = {
    appName: c.appName,
    user: null,
    assignments: [],
    directGroups: [],
    transitiveGroups: [],
    assignedGroups: [],
    logs: [],
    job: null,
  };
  const assignments = await appAssignments(http, t, c.spId);
  if (assignments === null) return { facts: { ...empty, appMissing: true }, unread };
  if (!user) return { facts: empty, unread };
  const [direct, transitive, job] = await Promise.all([
    optional(unread, () =>
      http.list(t, `/users/${user.id}/memberOf?$select=id,displayName,securityEnabled`),
    ),
    http.list(t, `/users/${user.id}/transitiveMemberOf?$select=id,displayName,securityEnabled`),
    optional(unread, () => findJob(http, t, c.spId)),
  ]);
  const transitiveGroups = groupsOf(transitive) ?? [];
  const assignedIds = new Set(
    assignments.filter((a) => a.principalType === "Group").map((a) => a.principalId),
  );
  const assignedGroups = transitiveGroups.filter((g) => assignedIds.has(g.id));
  // The provisioning logs: what could not be read is a fact too (why), never "nothing yet".
  const before = unread.length;
  const read = await optional(unread, () => readLogs(http, t, c.spId, user.id), ["unreachable"]);
  const logsUnread = read === null ? unread.slice(before).join("; ") || "not readable" : undefined;
  const logs =
    read === null
      ? null
      : read.rows.map((l) => {
          const skipped = l.provisioningSteps?.find((s) => s.details && "SkipReason" in s.details);
          const info = l.provisioningStatusInfo;
          return {
            at: l.activityDateTime,
            action: l.provisioningAction,
            status: info?.status ?? "unknown",
            errorCode: info?.errorInformation?.errorCode ?? undefined,
            reason: info?.errorInformation?.reason ?? undefined,
            skipReason: skipped?.details ? String(skipped.details.SkipReason) : undefined,
          };
        });
  return {
    facts: {
      appName: c.appName,
      user: {
        id: user.id,
        upn: user.userPrincipalName || loginId,
        accountEnabled: user.accountEnabled ?? undefined,
      },
      assignments: assignments.map((a) => ({
        principalId: a.principalId,
        principalType: a.principalType,
        principalDisplayName: a.principalDisplayName ?? undefined,
        createdDateTime: a.createdDateTime ?? undefined,
      })),
      directGroups: groupsOf(direct),
      transitiveGroups,
      assignedGroups,
      logs,
      logsUnread,
      readAt: Date.now(),
      ...(read && !read.rows.length ? { logsReach: { pages: read.pages, ended: read.ended } } : {}),
      job: job
        ? {
            code: job.status?.code ?? "Active",
            quarantineReason: job.status?.quarantine?.reason ?? undefined,
            quarantineError:
              job.status?.quarantine?.error?.message ??
              job.status?.quarantine?.error?.code ??
              undefined,
            nextAttempt: job.status?.quarantine?.nextAttempt ?? undefined,
            lastExecutionEnded: job.status?.lastExecution?.timeEnded ?? undefined,
            lastExecutionBegan: job.status?.lastExecution?.timeBegan ?? undefined,
            steadyStateFirstAchieved: job.status?.steadyStateFirstAchievedTime ?? undefined,
            interval: job.schedule?.interval ?? undefined,
            scheduleState: job.schedule?.state ?? undefined,
          }
        : null,
    },
    unread,
  };
}
