/** Registers expected hires: stored first (so nothing is lost), then the checklist is posted and evaluated. */

import { randomUUID } from "node:crypto";
import { dueAt } from "../../core/hires/evaluate.js";
import { hireId, newHire } from "../../core/hires/model.js";
import { IDPS, type IdpId } from "../../core/idp/catalog.js";
import type { DescopeClient } from "../../descope/client.js";
import { tenantIdp } from "../../descope/tenant-idp.js";
import type { Logger } from "../../log/logger.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { Notifier } from "../notifier.js";
import { type EvalResult, refreshChecklist } from "./evaluator.js";

export interface RegisterDeps {
  hires: HireStore;
  descope: DescopeClient;
  notifier: Notifier;
  log: Logger;
  graceMinutes: number;
  now: () => number;
  evaluate: (ids: string[]) => Promise<EvalResult>;
}

export interface RegisterInput {
  emails: string[];
  tenantId: string;
  tenantName: string;
  idp?: IdpId | undefined;
  assignedAt: number;
  channelId: string;
  userId: string;
  /** Per person (lower-cased email): a display name, a start date, their own assignment time. */
  details?: Map<
    string,
    { name?: string | undefined; startDate?: number | undefined; assignedAt?: number | undefined }
  >;
  /** One start date for everyone in this batch (start= on /scim expect). */
  startDate?: number | undefined;
}

export interface RegisterResult {
  registered: string[];
  rejected: Array<{ input: string; reason: string }>;
  idp: { id: IdpId; name: string; reason: string };
  dueAt: number;
  /** Set when the checklist could not be posted (e.g. the bot is not in the channel). */
  postError?: string;
}

export async function registerHires(
  deps: RegisterDeps,
  input: RegisterInput,
): Promise<RegisterResult> {
  const now = deps.now();
  const guess = await tenantIdp(
    deps.descope,
    input.tenantId,
    input.idp ? { idp: input.idp, reason: "named when registering" } : undefined,
  );
  const batchId = randomUUID().replace(/-/g, "").slice(0, 12);
  const registered: string[] = [];
  const rejected: RegisterResult["rejected"] = [];
  const ids: string[] = [];
  let due = now;
  // The batch is saved before its hires: a registration that dies mid-way (a crash) leaves
  // hires whose checklist the next evaluation posts, never hires without one.
  const batch = { id: batchId, channelId: input.channelId, ts: null, rendered: "" };
  await deps.hires.saveBatch({
    ...batch,
    hireIds: input.emails.map((e) => hireId(input.tenantId, e)),
  });
  for (const email of input.emails) {
    const id = hireId(input.tenantId, email);
    const extra = input.details?.get(email.toLowerCase());
    const hire = newHire({
      startDate: extra?.startDate ?? input.startDate ?? null,
      displayName: extra?.name ?? null,
      loginId: email,
      tenantId: input.tenantId,
      tenantName: input.tenantName,
      idp: guess.idp,
      idpReason: guess.reason,
      assignedAt: extra?.assignedAt ?? input.assignedAt,
      registeredAt: now,
      registeredBy: input.userId,
      channelId: input.channelId,
      batchId,
    });
    due = dueAt(hire, deps.graceMinutes);
    if (await deps.hires.add(id, hire, due)) {
      registered.push(email);
      ids.push(id);
    } else {
      rejected.push({ input: email, reason: `already expected in ${input.tenantName}` });
    }
  }
  const result: RegisterResult = {
    registered,
    rejected,
    idp: { id: guess.idp, name: IDPS[guess.idp].name, reason: guess.reason },
    dueAt: due,
  };
  if (!ids.length) {
    await deps.hires.deleteBatch(batchId);
    return result;
  }
  await deps.hires.saveBatch({ ...batch, hireIds: ids });
  try {
    await refreshChecklist(deps, batchId, now);
    await deps.evaluate(ids);
  } catch (e) {
    const err = e as { slackError?: string; data?: { error?: string } };
    const code = err.slackError ?? err.data?.error;
    result.postError = code ?? (e as Error).message;
    deps.log.warn(
      { kind: "checklist", err: e },
      "could not post the checklist; the next tail run retries",
    );
  }
  return result;
}
