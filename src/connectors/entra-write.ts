/**
 * Entra's write calls for fix-it actions (idp-apis.md E8), made only with the
 * separate write-capable app and only after a second person approved:
 * Provision on demand for one user (the job's rule ID from its schema, read
 * with the read-only app) and Restart provisioning. `provisionOnDemand`
 * answers `{ key, value }`, both JSON strings: parsed here into the steps
 * (import, scoping, matching, action, export) with each status and error.
 */
import * as z from "zod";
import { ConnectorError, type EntraHttp } from "./entra-http.js";

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
  const { json } = await write.write(
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
  await write.write(
    tenant,
    "POST",
    `/servicePrincipals/${o.spId}/synchronization/jobs/${o.jobId}/restart`,
    {
      criteria: {},
    },
  );
}
