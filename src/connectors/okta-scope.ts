/**
 * Who Okta has in scope for the app (idp-apis.md O2): the app's users, 500
 * a page with the Okta user embedded, `Link: rel="next"` followed verbatim.
 * An app user's status says whether Okta keeps them active in the app
 * (PROVISIONED, ACTIVE…) or took them out (DEPROVISIONED, REVOKED, INACTIVE,
 * SUSPENDED); the Okta user's own status (SUSPENDED, DEPROVISIONED) too.
 * One page per call, so that a run can stop and resume.
 */
import * as z from "zod";
import type { IdpPerson } from "../core/reconcile/model.js";
import { ConnectorError } from "./entra-http.js";
import type { OktaHttp } from "./okta-http.js";
import { parseAll } from "./read.js";

const appUserSchema = z.object({
  id: z.string(),
  scope: z.string().default("USER"),
  status: z.string().default("ACTIVE"),
  syncState: z.string().nullish(),
  created: z.string().nullish(),
  credentials: z.object({ userName: z.string().nullish() }).nullish(),
  profile: z.object({ email: z.string().nullish() }).passthrough().nullish(),
  _embedded: z
    .object({
      user: z
        .object({
          status: z.string().nullish(),
          profile: z.object({ login: z.string().nullish(), email: z.string().nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

/** App-user statuses that mean Okta took them out of the app (or never let them in). */
const APP_OFF = new Set(["DEPROVISIONED", "REVOKED", "INACTIVE", "SUSPENDED", "UNASSIGNED"]);
/** Okta user statuses that mean the person cannot sign in. */
const USER_OFF = new Set(["SUSPENDED", "DEPROVISIONED", "DEACTIVATED"]);

export const oktaFirstPage = (appId: string) =>
  `/api/v1/apps/${encodeURIComponent(appId)}/users?limit=500&expand=user`;

/** One page of the app's users: the people on it and the next page (null at the end). */
export async function readOktaPage(
  http: OktaHttp,
  appId: string,
  next: string | null,
): Promise<{ people: IdpPerson[]; next: string | null }> {
  const r = await http.get(next ?? oktaFirstPage(appId));
  if (r === null)
    throw new ConnectorError(
      "bad_response",
      "the Okta app is gone (404): connect the tenant again with its current app",
    );
  if (!Array.isArray(r.json))
    throw new ConnectorError(
      "bad_response",
      "Okta answered the app's users with an unexpected body",
    );
  const people = parseAll(appUserSchema, r.json).map((u): IdpPerson => {
    const user = u._embedded?.user;
    const userName = u.credentials?.userName ?? user?.profile?.login ?? u.id;
    const since = u.created ? Date.parse(u.created) : Number.NaN;
    const enabled = !APP_OFF.has(u.status) && !USER_OFF.has(user?.status ?? "ACTIVE");
    return {
      id: u.id,
      loginId: userName,
      names: [userName, user?.profile?.login, user?.profile?.email, u.profile?.email].filter(
        (n): n is string => Boolean(n),
      ),
      enabled,
      scope: u.scope === "GROUP" ? "group" : "direct",
      ...(Number.isFinite(since) ? { since } : {}),
      appStatus: u.status,
      ...(u.syncState ? { syncState: u.syncState } : {}),
    };
  });
  return { people, next: r.next };
}
