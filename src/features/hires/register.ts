/** Registers expected hires: stored first (so nothing is lost), then the checklist is posted and evaluated. */

import { randomUUID } from "node:crypto";
import { hireId, newHire } from "../../core/hires/model.js";
import { dueAt } from "../../core/hires/state.js";
import { IDPS, type IdpId } from "../../core/idp/catalog.js";
import { tenantIdp } from "../../descope/tenant-idp.js";
import { evaluateAll, type HireWork } from "./evaluate-all.js";
import { refreshChecklist } from "./evaluator.js";

export interface RegisterDeps extends HireWork {
  graceMinutes: number;
  /**
   * When set, the checklist and the first evaluation are handed to it instead
   * of being awaited: the caller (the webhook) answers as soon as the hires are
   * stored. Should the process die first, the next evaluation posts the checklist.
   */
  followUp?: (batchId: string, ids: string[]) => void;
}

interface RegisterInput {
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
    {
      name?: string | undefined;
      startDate?: number | undefined;
      assignedAt?: number | undefined;
      /** This person's IdP, named on their own row (a file or a webhook call). */
      idp?: IdpId | undefined;
    }
  >;
  /** One start date for everyone in this batch (start= on /scim expect). */
  startDate?: number | undefined;
}

interface RegisterResult {
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
    const idp = extra?.idp ? { idp: extra.idp, reason: "named when registering" } : guess;
    const hire = newHire({
      startDate: extra?.startDate ?? input.startDate ?? null,
      displayName: extra?.name ?? null,
      loginId: email,
      tenantId: input.tenantId,
      tenantName: input.tenantName,
      idp: idp.idp,
      idpReason: idp.reason,
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
  if (deps.followUp) {
    deps.followUp(batchId, ids);
    return result;
  }
  try {
    await refreshChecklist(deps, batchId, now);
    await evaluateAll(deps, ids);
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

/**
 * Runs registrations' checklists and first evaluations one after the other in
 * the background, coalescing what arrives meanwhile into one evaluation: a
 * thousand webhook calls at once cost one evaluation, not a thousand.
 */
export function followUpInBackground(deps: RegisterDeps): {
  schedule: (batchId: string, ids: string[]) => void;
  idle: () => Promise<void>;
} {
  const batches = new Set<string>();
  const ids = new Set<string>();
  let running: Promise<void> | null = null;
  const drain = async () => {
    while (batches.size || ids.size) {
      const b = [...batches];
      const i = [...ids];
      batches.clear();
      ids.clear();
      for (const batchId of b)
        await refreshChecklist(deps, batchId, deps.now()).catch((e: unknown) =>
          deps.log.warn(
            { kind: "checklist", err: e },
            "could not post the checklist; the next tail run retries",
          ),
        );
      await evaluateAll(deps, i).catch((e: unknown) =>
        deps.log.warn({ kind: "evaluation", err: e }, "evaluation failed; the next run retries"),
      );
    }
  };
  const kick = () => {
    running ??= drain().finally(() => {
      running = null;
      if (batches.size || ids.size) kick();
    });
  };
  return {
    schedule(batchId, hireIds) {
      batches.add(batchId);
      for (const id of hireIds) ids.add(id);
      kick();
    },
    idle: () => running ?? Promise.resolve(),
  };
}
