/**
 * Entra's write calls for fix-it actions (idp-apis.md E8), made only with the
 * separate write-capable app and only after a second person approved:
 * Provision on demand for one user (the job's rule ID from its schema, read
 * with the read-only app) and Restart provisioning. `provisionOnDemand`
 * answers `{ key, value }`, both JSON strings: parsed here into the steps
 * (import, scoping, matching, action, export) with each status and error.
 */
import * as z from "zod";
import { headerOf, httpRequest, isTimeout, jsonOrNull, networkCodeOf } from "../net/http.js";
import { ConnectorError, type EntraHttp } from "./entra-http.js";

const graphErrorSchema = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});

/**
 * One Graph write (POST/PUT) with the write-capable app's token: the status
 * and the body, or a coded error that names what is missing. Never retried:
 * a write whose answer was lost is not sent twice (the caller records it).
 */
export async function graphWrite(
  http: EntraHttp,
  tenant: string,
  method: "POST" | "PUT",
  path: string,
  body: unknown,
  /** A 404 answered, not thrown (a call Entra may not offer for this job). */
  o: { notFoundOk?: boolean } = {},
): Promise<{ status: number; json: unknown }> {
  const token = await http.token(tenant);
  const where = path.split("?")[0];
  let res: Awaited<ReturnType<typeof httpRequest>>;
  try {
    res = await httpRequest(`${http.graphUrl}/v1.0${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
      timeoutMs: Math.max(http.timeoutMs, 30_000),
      service: "graph",
    });
  } catch (e) {
    throw new ConnectorError(
      "unreachable",
      isTimeout(e)
        ? `Microsoft did not answer ${where} in time: whether the call took effect is unknown`
        : `could not reach Graph (${networkCodeOf(e)}): nothing was sent`,
    );
  }
  const json = jsonOrNull(res);
  const e = graphErrorSchema.safeParse(json);
  const detail =
    e.success && e.data.error
      ? `${e.data.error.code ?? ""}${e.data.error.message ? `: ${e.data.error.message}` : ""}`
      : "";
  if (res.status === 401 || res.status === 403)
    throw new ConnectorError(
      "permission_missing",
      `Graph refused ${where} (${detail || res.status}): scimwatch's write app lacks Synchronization.ReadWrite.All, or the customer's admin has not consented to it`,
    );
  if (res.status === 429) {
    const sec = Number(headerOf(res, "retry-after") ?? "10") || 10;
    throw new ConnectorError(
      "throttled",
      `Microsoft Graph is throttling ${where}; retry in ${sec} s`,
      sec,
    );
  }
  if (res.status === 404 && o.notFoundOk) return { status: 404, json };
  if (res.status >= 400)
    throw new ConnectorError(
      res.status >= 500 ? "unreachable" : "bad_response",
      `Graph answered HTTP ${res.status} to ${where}${detail ? ` (${detail})` : ""}`,
    );
  return { status: res.status, json };
}

const schemaSchema = z.object({
  synchronizationRules: z
    .array(
      z.object({
        id: z.string(),
        name: z.string().nullish(),
        objectMappings: z.array(z.object({ sourceObjectName: z.string().nullish() })).nullish(),
      }),
    )
    .default([]),
});

const demandSchema = z.object({ key: z.string().nullish(), value: z.string().nullish() });
const keySchema = z.object({
  result: z.string().nullish(),
  details: z
    .object({ errorCode: z.string().nullish(), errorMessage: z.string().nullish() })
    .nullish(),
});
const valueSchema = z.object({
  action: z.string().nullish(),
  provisioningSteps: z
    .array(
      z.object({
        name: z.string().nullish(),
        type: z.string().nullish(),
        status: z.string().nullish(),
        description: z.string().nullish(),
      }),
    )
    .nullish(),
  statusInfo: z
    .object({
      status: z.string().nullish(),
      errorCode: z.string().nullish(),
      reason: z.string().nullish(),
    })
    .nullish(),
  targetIdentity: z.object({ id: z.string().nullish() }).nullish(),
});

export interface DemandStep {
  name: string;
  type: string;
  status: string;
  description: string;
}

export interface DemandResult {
  /** Success, Skipped, Failure… as Entra says. */
  result: string;
  action: string | null;
  steps: DemandStep[];
  errorCode: string | null;
  error: string | null;
}

/** The job's user rule (its ID is what provisionOnDemand names), read with the read-only app. */
export async function userRuleId(
  read: EntraHttp,
  tenant: string,
  spId: string,
  jobId: string,
): Promise<string> {
  const raw = await read.get(
    tenant,
    `/servicePrincipals/${spId}/synchronization/jobs/${jobId}/schema`,
  );
  const s = schemaSchema.safeParse(raw);
  if (raw === null || !s.success || !s.data.synchronizationRules.length)
    throw new ConnectorError(
      "bad_response",
      "the provisioning job's schema names no synchronization rule: provision on demand cannot be asked",
    );
  const rules = s.data.synchronizationRules;
  const users = rules.find((r) => r.objectMappings?.some((m) => m.sourceObjectName === "User"));
  return (users ?? rules[0])?.id as string;
}

const parseJson = (s: string | null | undefined): unknown => {
  try {
    return s ? JSON.parse(s) : null;
  } catch {
    return null;
  }
};

/** POST …/provisionOnDemand for one user; the steps Entra took, parsed. */
export async function provisionOnDemand(
  write: EntraHttp,
  tenant: string,
  o: { spId: string; jobId: string; ruleId: string; userObjectId: string },
): Promise<DemandResult> {
  const { json } = await graphWrite(
    write,
    tenant,
    "POST",
    `/servicePrincipals/${o.spId}/synchronization/jobs/${o.jobId}/provisionOnDemand`,
    {
      parameters: [
        { ruleId: o.ruleId, subjects: [{ objectId: o.userObjectId, objectTypeName: "User" }] },
      ],
    },
  );
  const d = demandSchema.safeParse(json);
  const key = keySchema.safeParse(parseJson(d.success ? d.data.key : null));
  const value = valueSchema.safeParse(parseJson(d.success ? d.data.value : null));
  const v = value.success ? value.data : null;
  const k = key.success ? key.data : null;
  return {
    result: k?.result ?? v?.statusInfo?.status ?? "Unknown",
    action: v?.action ?? null,
    steps: (v?.provisioningSteps ?? []).map((s) => ({
      name: s.name ?? "",
      type: s.type ?? "",
      status: s.status ?? "",
      description: s.description ?? "",
    })),
    errorCode: k?.details?.errorCode ?? v?.statusInfo?.errorCode ?? null,
    error: k?.details?.errorMessage ?? v?.statusInfo?.reason ?? null,
  };
}

/** POST …/restart with empty criteria (the portal's Restart provisioning): 204. */
export async function restartJob(
  write: EntraHttp,
  tenant: string,
  o: { spId: string; jobId: string },
): Promise<void> {
  await graphWrite(
    write,
    tenant,
    "POST",
    `/servicePrincipals/${o.spId}/synchronization/jobs/${o.jobId}/restart`,
    {
      criteria: {},
    },
  );
}

/** A provisioning credential as Graph names it (`BaseAddress`, `SecretToken`, `SyncAll`…). */
export interface Credential {
  key: string;
  value: string;
}

const secretsSchema = z.object({
  value: z.array(z.object({ key: z.string(), value: z.string().nullish() })),
});

/**
 * The job's saved credentials (`GET …/synchronization/secrets`): not in the
 * v1.0 pages read (idp-apis.md E8), so null whenever Entra does not answer it
 * — the caller then sends what it knows. Values are passed through, never
 * kept or logged (the old token may be among them).
 */
export async function readSecrets(
  write: EntraHttp,
  tenant: string,
  spId: string,
): Promise<Credential[] | null> {
  const raw = await write
    .get(tenant, `/servicePrincipals/${spId}/synchronization/secrets`)
    .catch(() => null);
  const s = secretsSchema.safeParse(raw);
  return s.success ? s.data.value.map((c) => ({ key: c.key, value: c.value ?? "" })) : null;
}

/**
 * `POST …/jobs/{jobId}/validateCredentials` (Learn: synchronizationJob
 * validateCredentials): 204 when Entra reaches the SCIM endpoint with these
 * credentials — or, with "saved", with the ones the job holds. "unavailable"
 * when Entra answers 404 (not offered for this job); a refusal throws.
 */
export async function validateCredentials(
  write: EntraHttp,
  tenant: string,
  o: { spId: string; jobId: string },
  credentials: Credential[] | "saved",
): Promise<"validated" | "unavailable"> {
  const r = await graphWrite(
    write,
    tenant,
    "POST",
    `/servicePrincipals/${o.spId}/synchronization/jobs/${o.jobId}/validateCredentials`,
    credentials === "saved"
      ? { useSavedCredentials: true }
      : { useSavedCredentials: false, credentials },
    { notFoundOk: true },
  );
  return r.status === 404 ? "unavailable" : "validated";
}

/** `PUT …/synchronization/secrets` with the whole set (idp-apis.md E8: the doc example's `value` array): 204. */
export async function putSecrets(
  write: EntraHttp,
  tenant: string,
  spId: string,
  credentials: Credential[],
): Promise<void> {
  await graphWrite(write, tenant, "PUT", `/servicePrincipals/${spId}/synchronization/secrets`, {
    value: credentials,
  });
}
