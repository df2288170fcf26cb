/**
 * Reads what the Okta rules need (shared/reference/idp-apis.md §3): the app,
 * the user, their assignment, groups, "Create Users", and the System Log's
 * push events. Bodies are checked with zod; a refused read becomes a note.
 */
import * as z from "zod";
import type { OktaFacts } from "../core/idp-side/okta.js";
import { ConnectorError, type ConnectorProblem } from "./entra-http.js";
import type { OktaHttp } from "./okta-http.js";
import { optional, parseAll } from "./read.js";

const appSchema = z.object({
  id: z.string(),
  label: z.string().default(""),
  name: z.string().default(""),
});
const userSchema = z.object({
  id: z.string(),
  status: z.string().default("ACTIVE"),
  profile: z.object({ login: z.string() }).partial().default({}),
});
const appUserSchema = z.object({
  id: z.string().nullish(),
  credentials: z.object({ userName: z.string().nullish() }).nullish(),
  scope: z.string().default("USER"),
  status: z.string().default("ACTIVE"),
  syncState: z.string().nullish(),
  externalId: z.string().nullish(),
  created: z.string().nullish(),
});
const groupSchema = z.object({
  id: z.string(),
  profile: z.object({ name: z.string() }).partial().default({}),
});
const appGroupSchema = z.object({
  id: z.string(),
  _embedded: z.object({ group: groupSchema.nullish() }).partial().nullish(),
});
const featureSchema = z.object({
  capabilities: z
    .object({
      create: z.object({ lifecycleCreate: z.object({ status: z.string() }).partial() }).partial(),
    })
    .partial()
    .nullish(),
});
/** A System Log event (idp-apis.md O4), for every reader of the log: targets are found by type. */
export const logEventSchema = z.object({
  uuid: z.string().nullish(),
  published: z.string(),
  eventType: z.string().default(""),
  outcome: z
    .object({ result: z.string().default("UNKNOWN"), reason: z.string().nullish() })
    .nullish(),
  target: z
    .array(
      z.object({
        id: z.string().nullish(),
        type: z.string().nullish(),
        alternateId: z.string().nullish(),
        displayName: z.string().nullish(),
      }),
    )
    .nullish(),
});

/** The app's assigned groups (`GET /api/v1/apps/{id}/groups?expand=group`), with their names. */
export const appGroupsPath = (appId: string) =>
  `/api/v1/apps/${encodeURIComponent(appId)}/groups?expand=group&limit=200`;
export function appGroupsFrom(raw: unknown[] | null): Array<{ id: string; name: string }> {
  return parseAll(appGroupSchema, raw).map((g) => ({
    id: g.id,
    name: g._embedded?.group?.profile.name ?? g.id,
  }));
}

/** Okta answers a read it cannot do for this app (e.g. provisioning not enabled) with an error: a note, not a failure. */
const OKTA_ALSO: ConnectorProblem[] = ["bad_response"];

/** The Okta app by ID (0oa…) or exact label; refuses an ambiguous label. */
export async function findOktaApp(
  http: OktaHttp,
  app: string,
): Promise<{ id: string; label: string } | null> {
  if (/^0oa[\w]{10,}$/.test(app)) {
    const r = await http.get(`/api/v1/apps/${encodeURIComponent(app)}`);
    const p = appSchema.safeParse(r?.json);
    return p.success ? { id: p.data.id, label: p.data.label } : null;
  }
  const hits = parseAll(
    appSchema,
    await http.list(`/api/v1/apps?q=${encodeURIComponent(app)}&limit=20`, 1),
  ).filter((a) => a.label.toLowerCase() === app.toLowerCase());
  if (hits.length > 1)
    throw new ConnectorError(
      "bad_response",
      `${hits.length} Okta apps are labelled ${app}: connect with its ID (0oa…) instead`,
    );
  return hits[0] ? { id: hits[0].id, label: hits[0].label } : null;
}

/**
 * The Okta user a login ID names (O1): by Okta login; else by e-mail (search,
 * one hit only); else by the app username, which is what Okta sends Descope as
 * the SCIM userName and often differs from the login (the app's users whose
 * profile starts with it, compared on credentials.userName).
 */
async function findOktaUser(
  http: OktaHttp,
  appId: string,
  loginId: string,
): Promise<z.infer<typeof userSchema> | null> {
  const direct = userSchema.safeParse(
    (await http.get(`/api/v1/users/${encodeURIComponent(loginId)}`))?.json,
  );
  if (direct.success) return direct.data;
  const quoted = loginId.replace(/"/g, '\\"');
  const byEmail = parseAll(
    userSchema,
    await http.list(
      `/api/v1/users?search=${encodeURIComponent(`profile.email eq "${quoted}"`)}&limit=2`,
      1,
    ),
  );
  if (byEmail.length === 1) return byEmail[0] ?? null;
  const appUsers = parseAll(
    appUserSchema,
    await http.list(
      `/api/v1/apps/${appId}/users?q=${encodeURIComponent(loginId)}&limit=50&expand=user`,
      2,
    ),
  ).filter((a) => a.id && a.credentials?.userName?.toLowerCase() === loginId.toLowerCase());
  if (appUsers.length !== 1) return null;
  const byId = userSchema.safeParse(
    (await http.get(`/api/v1/users/${encodeURIComponent(appUsers[0]?.id as string)}`))?.json,
  );
  return byId.success ? byId.data : null;
}

/**
 * Okta's own word on a failing tenant (idp-apis.md O4): the newest
 * `application.integration.authentication_failure` (it could not authenticate
 * to Descope's SCIM API: a dead key) or `.rate_limit_exceeded` for this app in
 * the last day, matched on the app by target (the events' targets are
 * unverified: an event that names no app is not claimed for this one).
 */
export async function oktaIntegrationProblem(
  http: OktaHttp,
  app: { appId: string; appName: string },
  now: number,
): Promise<{ kind: "credential" | "throttled"; at: string; reason?: string } | null> {
  const filter =
    'eventType eq "application.integration.authentication_failure" or eventType eq "application.integration.rate_limit_exceeded"';
  const since = new Date(now - 86_400_000).toISOString();
  const events = parseAll(
    logEventSchema,
    await http.list(
      `/api/v1/logs?since=${encodeURIComponent(since)}&filter=${encodeURIComponent(filter)}&sortOrder=DESCENDING&limit=20`,
      1,
    ),
  ).filter((e) =>
    (e.target ?? []).some(
      (t) =>
        t.id === app.appId || (t.alternateId ?? "").toLowerCase() === app.appName.toLowerCase(),
    ),
  );
  const e = events[0];
  if (!e) return null;
  return {
    kind: e.eventType.endsWith("authentication_failure") ? "credential" : "throttled",
    at: e.published,
    ...(e.outcome?.reason ? { reason: e.outcome.reason } : {}),
  };
}

export async function readOktaFacts(
  http: OktaHttp,
  c: { appId: string; appName: string },
  loginId: string,
  now: number,
): Promise<{ facts: OktaFacts; unread: string[] }> {
  const unread: string[] = [];
  const u = await findOktaUser(http, c.appId, loginId);
  const empty: OktaFacts = {
    appName: c.appName,
    user: null,
    appUser: null,
    userGroups: [],
    appGroups: [],
    lifecycleCreate: null,
    events: [],
  };
  if (!u) return { facts: empty, unread };
  const user = u;
  const since = new Date(now - 7 * 86_400_000).toISOString();
  const until = new Date(now).toISOString();
  const filter = `eventType eq "application.provision.user.push" and target.id eq "${user.id}" and target.id eq "${c.appId}"`;
  const [appUser, userGroups, appGroups, feature, events] = await Promise.all([
    http.get(`/api/v1/apps/${c.appId}/users/${user.id}`),
    optional(unread, () => http.list(`/api/v1/users/${user.id}/groups`), OKTA_ALSO),
    optional(unread, () => http.list(appGroupsPath(c.appId)), OKTA_ALSO),
    optional(
      unread,
      () => http.get(`/api/v1/apps/${c.appId}/features/USER_PROVISIONING`),
      OKTA_ALSO,
    ),
    optional(
      unread,
      () =>
        http.list(
          `/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}&filter=${encodeURIComponent(filter)}&sortOrder=DESCENDING&limit=20`,
          1,
        ),
      OKTA_ALSO,
    ),
  ]);
  const au = appUser ? appUserSchema.safeParse(appUser.json) : null;
  const f = feature ? featureSchema.safeParse(feature.json) : null;
  return {
    facts: {
      appName: c.appName,
      user: { id: user.id, login: user.profile.login ?? loginId, status: user.status },
      appUser: au?.success
        ? {
            scope: au.data.scope,
            status: au.data.status,
            syncState: au.data.syncState ?? undefined,
            externalId: au.data.externalId ?? undefined,
            created: au.data.created ?? undefined,
          }
        : null,
      userGroups: parseAll(groupSchema, userGroups).map((g) => ({
        id: g.id,
        name: g.profile.name ?? g.id,
      })),
      appGroups: appGroupsFrom(appGroups),
      lifecycleCreate: f?.success
        ? (f.data.capabilities?.create?.lifecycleCreate?.status ?? null)
        : null,
      events:
        events === null
          ? null
          : parseAll(logEventSchema, events).map((e) => ({
              at: e.published,
              result: e.outcome?.result ?? "UNKNOWN",
              reason: e.outcome?.reason ?? undefined,
            })),
    },
    unread,
  };
}
