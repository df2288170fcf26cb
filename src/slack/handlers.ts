/**
 * The `/scim` command and its buttons. Acknowledge at once, then answer through
 * respond(); every failure ends in a message that says what failed and what to do.
 */

import type { App, RespondFn } from "@slack/bolt";
import { namesLinkedTenant } from "../core/access.js";
import { summarizeActivity } from "../core/activity.js";
import { explain } from "../core/explain.js";
import { failureOf } from "../core/failure.js";
import { parseIdp } from "../core/idp/catalog.js";
import type { DescopeClient } from "../descope/client.js";
import { tenantIdp } from "../descope/tenant-idp.js";
import { resolveTenant } from "../descope/tenants.js";
import { loadUserAnyCase, UnknownTenantError } from "../features/check/gather.js";
import type { CheckService } from "../features/check/service.js";
import { oneByOneFor } from "../features/hires/one-by-one-check.js";
import type { Logger } from "../log/logger.js";
import type { AnswerStore } from "../redis/answers.js";
import type { AuditIndex } from "../redis/audit-index.js";
import type { LinkStore } from "../redis/links.js";
import type { TailStateStore } from "../redis/tail-state.js";
import { activityMessage } from "../render/activity.js";
import {
  ACTIONS,
  type CheckButtonValue,
  checkButtonValueSchema,
  diagnosisMessage,
  guideMessage,
  helpMessage,
  howToFixMessage,
  notice,
  unlinkPrompt,
  usageMessage,
} from "../render/blocks.js";
import { esc } from "../render/mrkdwn.js";
import { clickedBy, clickedValue, slackContext } from "./context.js";
import { type HireCommandDeps, hireCommands, registerHireInteractions } from "./hire-commands.js";
import { parseScimCommand } from "./parse.js";
import { failureMessage, NO_ACCESS, scopedRefusal, withDeadline } from "./replies.js";

export interface HandlerDeps {
  log: Logger;
  descope: DescopeClient;
  checks: CheckService;
  links: LinkStore;
  answers: AnswerStore;
  index: AuditIndex;
  tailState: TailStateStore;
  hireDeps: HireCommandDeps;
  supportChannels: ReadonlySet<string>;
  adminUsers: ReadonlySet<string>;
  /** Longest a check may take before the person is told to retry. */
  checkDeadlineMs?: number;
}

export function registerHandlers(app: App, deps: HandlerDeps): void {
  const { log } = deps;
  const deadline = deps.checkDeadlineMs ?? 28_000;

  const ctx = slackContext(deps);
  const { accessFor, safeRespond } = ctx;
  const hires = hireCommands(deps.hireDeps, ctx);
  registerHireInteractions(app, deps.hireDeps, ctx);

  async function runCheck(
    loginId: string,
    tenant: string | undefined,
    who: { userId: string; channelId: string },
    respond: RespondFn,
    idp?: string,
  ): Promise<void> {
    await ctx.run("check", "The check", who, respond, async (access) => {
      if (access.kind === "tenant" && tenant && !namesLinkedTenant(access, tenant)) {
        await ctx.answer(respond, scopedRefusal(access.tenantName));
        return "refused_other_tenant";
      }
      const idpId = idp ? parseIdp(idp) : undefined;
      const d = await withDeadline(
        deps.checks.check(
          { loginId, tenant, ...(idpId && idpId !== "generic" ? { idp: idpId } : {}) },
          access,
        ),
        deadline,
      );
      const answerId = await deps.answers.put(d, who.channelId);
      await ctx.answer(respond, diagnosisMessage(d, { answerId }));
      return d.verdict;
    });
  }

  async function runActivity(
    tenant: string | undefined,
    days: number,
    who: { userId: string; channelId: string },
    respond: RespondFn,
  ): Promise<void> {
    await ctx.run("activity", "Reading the activity", who, respond, async (access) => {
      const target = await ctx.tenantFor(
        access,
        tenant,
        "Which tenant? `/scim activity <tenant> [7d]` (in a linked channel the tenant is implied).",
      );
      if (!target || "refusal" in target) {
        if (target) await ctx.answer(respond, target.refusal);
        return "refused";
      }
      const { tenantId, tenantName } = target;
      const now = Date.now();
      const from = now - days * 86_400_000;
      const [events, guess, state] = await Promise.all([
        deps.index.eventsForTenant(tenantId, from, now),
        tenantIdp(deps.descope, tenantId),
        deps.tailState.get(),
      ]);
      const summary = summarizeActivity(tenantId, events, { from, to: now });
      // Confirm "never provisioned" against the user records (a user created by hand or JIT is not one).
      const checked = await Promise.all(
        summary.neverProvisioned.map(async (n) =>
          (await loadUserAnyCase(deps.descope, n.loginId)) ? null : n,
        ),
      );
      summary.neverProvisioned = checked.filter((n): n is NonNullable<typeof n> => n !== null);
      const idp = guess.idp;
      const oneByOne = await oneByOneFor(deps.descope, tenantId).catch((e: unknown) => {
        log.warn({ err: e }, "one-by-one check failed");
        return null;
      });
      await ctx.answer(
        respond,
        activityMessage(summary, {
          tenantName,
          idp,
          asOf: state.lastTo ?? null,
          oneByOne: oneByOne?.message ?? null,
        }),
      );
      return summary.status;
    });
  }

  app.command("/scim", async ({ command, ack, respond, client }) => {
    const cmd = parseScimCommand(command.text ?? "");
    const who = { userId: command.user_id, channelId: command.channel_id };
    switch (cmd.kind) {
      case "help":
        await ack({ response_type: "ephemeral", ...helpMessage() });
        return;
      case "usage":
        await ack({ response_type: "ephemeral", ...usageMessage(cmd.message) });
        log.info({ kind: "usage", user: who.userId, channel: who.channelId });
        return;
      case "explain":
        await ack({ response_type: "ephemeral", ...guideMessage(explain(cmd.topic, cmd.idp)) });
        return;
      case "check":
        await ack({ response_type: "ephemeral", text: `:mag: Checking ${esc(cmd.loginId)}…` });
        // Let requests already waiting be acknowledged before the check's work starts.
        await new Promise((r) => setImmediate(r));
        await runCheck(cmd.loginId, cmd.tenant, who, respond);
        return;
      case "expect":
        if (cmd.words.length === 0) {
          await ack();
          await hires.openModal(command.trigger_id, who, respond, client);
          return;
        }
        await ack({ response_type: "ephemeral", text: ":clipboard: Registering…" });
        await hires.expect(cmd.words, who, respond);
        return;
      case "pending":
        await ack();
        await hires.pending(cmd.tenant, who, respond);
        return;
      case "forget":
        await ack();
        await hires.forget(cmd.loginId, cmd.tenant, who, respond);
        return;
      case "alerts":
        await ack();
        await hires.alerts(cmd.channelId, who, respond);
        return;
      case "activity":
        await ack({ response_type: "ephemeral", text: ":bar_chart: Reading the audit index…" });
        await runActivity(cmd.tenant, cmd.days, who, respond);
        return;
      case "link":
      case "unlink": {
        await ack();
        if (!deps.adminUsers.has(who.userId)) {
          await safeRespond(respond, {
            response_type: "ephemeral",
            ...notice(
              ":lock: Only scimwatch admins can link or unlink channels (their Slack user IDs are in SCIMWATCH_ADMIN_USERS).",
              "Only scimwatch admins can link or unlink channels.",
            ),
          });
          return;
        }
        try {
          if (cmd.kind === "unlink") {
            const link = await deps.links.get(who.channelId);
            await safeRespond(respond, {
              response_type: "ephemeral",
              ...(link
                ? unlinkPrompt(link.tenantName, who.channelId)
                : notice(
                    "This channel is not linked to a tenant.",
                    "This channel is not linked to a tenant.",
                  )),
            });
          } else {
            const found = await resolveTenant(deps.descope, cmd.tenant);
            if (!found) throw new UnknownTenantError(cmd.tenant);
            const t = { id: found.tenantId };
            const name = found.tenantName;
            await deps.links.set(who.channelId, {
              tenantId: t.id,
              tenantName: name,
              linkedBy: who.userId,
              linkedAt: Date.now(),
            });
            await safeRespond(respond, {
              response_type: "in_channel",
              ...notice(
                `:link: This channel is now linked to *${esc(name)}* (\`${esc(t.id)}\`): \`/scim check\` here sees that tenant only.`,
                `This channel is now linked to ${name}.`,
              ),
            });
          }
          log.info({ kind: cmd.kind, user: who.userId, channel: who.channelId });
        } catch (e) {
          if (!failureOf(e).expected) log.error({ err: e }, "link failed");
          await safeRespond(respond, {
            response_type: "ephemeral",
            ...failureMessage(e, "Linking"),
          });
        }
        return;
      }
    }
  });

  function buttonValue(body: unknown): CheckButtonValue | null {
    try {
      const parsed = checkButtonValueSchema.safeParse(JSON.parse(clickedValue(body)));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  app.action(ACTIONS.unlink, async ({ ack, body, respond }) => {
    await ack();
    const who = clickedBy(body);
    if (!deps.adminUsers.has(who.userId) || clickedValue(body) !== who.channelId) {
      return safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...notice(
          ":lock: Only scimwatch admins can unlink a channel, from that channel.",
          "Only scimwatch admins can unlink a channel.",
        ),
      });
    }
    const had = await deps.links.delete(who.channelId);
    log.info({ kind: "unlink", user: who.userId, channel: who.channelId });
    await safeRespond(respond, {
      response_type: "in_channel",
      replace_original: false,
      ...notice(
        had
          ? `:unlock: This channel is no longer linked to a tenant (unlinked by <@${esc(who.userId)}>).`
          : "This channel was not linked to a tenant.",
        had
          ? "This channel is no longer linked to a tenant."
          : "This channel was not linked to a tenant.",
      ),
    });
  });

  app.action(ACTIONS.recheck, async ({ ack, body, respond }) => {
    await ack();
    const v = buttonValue(body);
    if (!v) return;
    await runCheck(v.l, v.t ?? undefined, clickedBy(body), respond, v.i);
  });

  app.action(ACTIONS.howto, async ({ ack, body, respond }) => {
    await ack();
    const v = buttonValue(body);
    if (!v) return;
    const who = clickedBy(body);
    const access = await accessFor(who.userId, who.channelId);
    if (access.kind === "denied")
      return safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...NO_ACCESS,
      });
    await safeRespond(respond, {
      response_type: "ephemeral",
      replace_original: false,
      ...howToFixMessage(parseIdp(v.i) ?? "generic", v.l),
    });
  });

  app.action(ACTIONS.share, async ({ ack, body, respond }) => {
    await ack();
    const v = buttonValue(body);
    if (!v) return;
    const who = clickedBy(body);
    const [access, answer] = await Promise.all([
      accessFor(who.userId, who.channelId),
      deps.answers.get(v.a),
    ]);
    if (access.kind === "denied")
      return safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...NO_ACCESS,
      });
    if (!answer || answer.channelId !== who.channelId) {
      return safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...notice(
          "This answer has expired: run `/scim check` again to share a fresh one.",
          "This answer has expired.",
        ),
      });
    }
    if (access.kind === "tenant" && answer.diagnosis.tenantId !== access.tenantId) {
      return safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...scopedRefusal(access.tenantName),
      });
    }
    await safeRespond(respond, {
      response_type: "in_channel",
      replace_original: false,
      ...diagnosisMessage(answer.diagnosis, { answerId: v.a, sharedBy: who.userId }),
    });
    log.info({ kind: "share", user: who.userId, channel: who.channelId });
  });
}
