/** `/scim check <login ID> [tenant]`, and the Re-check button of its answer. */
import { namesLinkedTenant } from "../../../core/access.js";
import { actionsFitting } from "../../../core/actions/model.js";
import { parseIdp } from "../../../core/idp/catalog.js";
import { writeAccess } from "../../../features/actions/access.js";
import { fixButtons } from "../../../render/actions.js";
import { diagnosisMessage } from "../../../render/blocks.js";
import { scopedRefusal, WORKING } from "../../../render/notices.js";
import { type Request, withDeadline } from "../../middleware.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener, ListenerDeps } from "../types.js";

/** Checks one person for whoever asks, within the deadline, and keeps the answer for sharing. */
export async function runCheck(
  deps: ListenerDeps,
  req: Request,
  what: { loginId: string; tenant?: string | undefined; idp?: string | undefined },
): Promise<string> {
  const access = await deps.guard.require(req.who);
  if (access.kind === "tenant" && what.tenant && !namesLinkedTenant(access, what.tenant)) {
    await req.reply(scopedRefusal(access.tenantName));
    return "refused_other_tenant";
  }
  const idpId = what.idp ? parseIdp(what.idp) : undefined;
  const d = await withDeadline(
    deps.checks.check(
      {
        loginId: what.loginId,
        tenant: what.tenant,
        ...(idpId && idpId !== "generic" ? { idp: idpId } : {}),
      },
      access,
    ),
    // Long enough for a unit of the management budget to free under load (65 s at most):
    // the answer comes through response_url, which lives 30 minutes.
    deps.settings.checkDeadlineMs ?? 90_000,
  );
  const answerId = await deps.answers.put(d, req.who.channelId);
  const msg = diagnosisMessage(d, { answerId });
  // The next click as a button, where an action fits and the tenant granted write access.
  const fix =
    deps.action && d.tenantId ? await fixFor(deps.action, d, d.tenantId).catch(() => []) : [];
  await req.reply(fix.length ? { ...msg, blocks: [...msg.blocks, ...fix] } : msg);
  return d.verdict;
}

async function fixFor(
  deps: NonNullable<ListenerDeps["action"]>,
  d: Parameters<typeof actionsFitting>[0] & { loginId: string },
  tenantId: string,
) {
  const w = await writeAccess(deps, tenantId);
  const idp = w.ok ? w.target.idp : null;
  return fixButtons(
    actionsFitting(d, { entra: idp === "azure", okta: idp === "okta" }),
    tenantId,
    d.loginId,
  );
}

export const check: CommandListener<Extract<ScimCommand, { kind: "check" }>> = {
  // Access first: "Checking…" is said only to someone who will get an answer.
  guards: { access: true },
  ack: (cmd) => WORKING.check(cmd.loginId),
  what: "The check",
  run: (deps, cmd, req) => runCheck(deps, req, { loginId: cmd.loginId, tenant: cmd.tenant }),
};
