/**
 * Registers leavers (from the command, the webhook or a file): stored first,
 * so nothing is lost to a crash; the checklist and the first evaluation
 * follow (awaited, or in the background for the webhook, whose answer must
 * not wait on Slack or Descope; the next audit read catches up either way).
 */
import { leaverId, newLeaver } from "../../core/leavers/model.js";
import { tenantIdp } from "../../descope/tenant-idp.js";
import { evaluateLeavers, type LeaverDeps } from "./evaluate.js";

export interface LeaverRegistration {
  tenantId: string;
  tenantName: string;
  leavers: Array<{ email: string; name: string | null; lastDay: number }>;
  channelId: string;
  registeredBy: string;
  source: "slack" | "webhook" | "file" | "idp";
}

export async function registerLeavers(
  deps: LeaverDeps,
  r: LeaverRegistration,
  o: { background?: boolean } = {},
): Promise<{ registered: string[]; already: string[]; ids: string[] }> {
  const now = deps.now();
  const guess = await tenantIdp(deps.descope, r.tenantId);
  const registered: string[] = [];
  const already: string[] = [];
  const ids: string[] = [];
  for (const x of r.leavers) {
    const id = leaverId(r.tenantId, x.email);
    const added = await deps.leavers.add(
      id,
      newLeaver({
        loginId: x.email,
        tenantId: r.tenantId,
        tenantName: r.tenantName,
        idp: guess.idp,
        name: x.name,
        lastDay: x.lastDay,
        registeredAt: now,
        registeredBy: r.registeredBy,
        source: r.source,
        channelId: r.channelId,
      }),
    );
    (added ? registered : already).push(x.email);
    if (added) ids.push(id);
  }
  const follow = evaluateLeavers(deps, ids).catch((e: unknown) => {
    deps.log.warn(
      { kind: "leaver", err: e },
      "leavers' first evaluation failed; the next read retries",
    );
    return 0;
  });
  if (!o.background) await follow;
  return { registered, already, ids };
}
