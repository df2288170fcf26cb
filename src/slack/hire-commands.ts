/**
 * /scim expect | pending | forget | alerts, the expect modal, the checklist
 * and alert buttons, and the App Home.
 */

import type { App, RespondFn } from "@slack/bolt";
import { type Access, decideAccess, hireAllowed } from "../core/access.js";
import { type HireView, view } from "../core/hires/evaluate.js";
import { checkEmails, parseExpectArgs, splitEmails } from "../core/hires/parse-expect.js";
import { parseIdp } from "../core/idp/catalog.js";
import { parseWhen, whenProblem } from "../core/when.js";
import type { DescopeClient } from "../descope/client.js";
import { tenantChoices, tenantLabel } from "../descope/tenants.js";
import { alertChannels } from "../features/hires/alert-channel.js";
import { type EvalResult, refreshChecklist } from "../features/hires/evaluator.js";
import { type RegisterResult, registerHires } from "../features/hires/register.js";
import type { Notifier } from "../features/notifier.js";
import type { Logger } from "../log/logger.js";
import type { HireStore } from "../redis/hire-store.js";
import type { LinkStore } from "../redis/links.js";
import { notice, type SlackMessage } from "../render/blocks.js";
import {
  batchOfBlockId,
  dismissedAlertMessage,
  expectModal,
  expectResultModal,
  HIRE_ACTIONS,
  HOME_ACTIONS,
  homeView,
  markOptions,
  matching,
  pendingMessage,
  snoozedAlertMessage,
  tenantOptions,
} from "../render/hires.js";
import { esc, slackDate } from "../render/mrkdwn.js";
import { clickedBy, clickedValue, type SlackContext } from "./context.js";
import { failureMessage, NO_ACCESS } from "./replies.js";

export interface HireCommandDeps {
  hires: HireStore;
  notifier: Notifier;
  descope: DescopeClient;
  links: LinkStore;
  log: Logger;
  graceMinutes: number;
  adminUsers: ReadonlySet<string>;
  /** SCIMWATCH_ALERT_CHANNEL: where alerts go for tenants without their own. */
  alertChannel?: string | undefined;
  now: () => number;
  evaluate: (ids?: string[]) => Promise<EvalResult>;
}

type Who = { userId: string; channelId: string };

function registeredMessage(r: RegisterResult, tenantName: string): SlackMessage {
  const lines: string[] = [];
  if (r.registered.length) {
    lines.push(
      `:clipboard: Expecting ${r.registered.length} hire${r.registered.length > 1 ? "s" : ""} in *${esc(tenantName)}* (${esc(r.idp.name)}, ${esc(r.idp.reason)}), due by ${slackDate(new Date(r.dueAt).toISOString())}. The checklist below ticks itself.`,
    );
  }
  if (r.rejected.length) {
    lines.push(
      `:warning: Not registered:\n${r.rejected
        .slice(0, 30)
        .map((x) => `• ${esc(x.input)} — ${esc(x.reason)}`)
        .join("\n")}`,
    );
  }
  if (r.postError) {
    lines.push(
      `:warning: I could not post the checklist here (${esc(r.postError)}): invite me with \`/invite @scimwatch\`. The hires are registered; I will post it after the next audit read.`,
    );
  }
  if (!lines.length) lines.push("Nothing to register.");
  return notice(
    lines.join("\n\n"),
    `Registered ${r.registered.length}, rejected ${r.rejected.length}.`,
  );
}

export function hireCommands(deps: HireCommandDeps, ctx: SlackContext) {
  const { answer } = ctx;

  async function visibleViews(
    access: Access,
    who: Who,
    tenantId?: string,
  ): Promise<Array<{ id: string; view: HireView }>> {
    const now = deps.now();
    const records = await deps.hires.getMany(await deps.hires.openIds());
    return records
      .filter(({ hire }) => (tenantId ? hire.tenantId === tenantId : true))
      .filter(({ hire }) => hireAllowed(access, hire, who))
      .map(({ id, hire }) => ({ id, view: view(hire, now, deps.graceMinutes) }));
  }

  return {
    expect: (words: string[], who: Who, respond: RespondFn) =>
      ctx.run("expect", "Registering", who, respond, async (access) => {
        const parsed = parseExpectArgs(words, deps.now());
        if ("error" in parsed) {
          await answer(respond, notice(`:warning: ${esc(parsed.error)}`, parsed.error));
          return "usage";
        }
        const target = await ctx.tenantFor(
          access,
          parsed.tenant,
          "Which tenant? `/scim expect <email> [<email> …] <tenant> [idp=…] [at=…]`",
        );
        if (!target || "refusal" in target) {
          if (target) await answer(respond, target.refusal);
          return "refused";
        }
        if (!parsed.emails.length) {
          await answer(
            respond,
            registeredMessage(
              {
                registered: [],
                rejected: parsed.rejected,
                idp: { id: "generic", name: "", reason: "" },
                dueAt: deps.now(),
              },
              target.tenantName,
            ),
          );
          return "nothing_valid";
        }
        const r = await registerHires(
          { ...deps, evaluate: (ids) => deps.evaluate(ids) },
          {
            ...target,
            emails: parsed.emails,
            idp: parsed.idp,
            assignedAt: parsed.assignedAt,
            channelId: who.channelId,
            userId: who.userId,
          },
        );
        r.rejected.unshift(...parsed.rejected);
        await answer(respond, registeredMessage(r, target.tenantName));
        return `registered_${r.registered.length}_rejected_${r.rejected.length}`;
      }),

    async openModal(
      triggerId: string,
      who: Who,
      respond: RespondFn,
      client: App["client"],
    ): Promise<void> {
      await ctx.run("expect_form", "Opening the form", who, respond, async (access) => {
        const fixed =
          access.kind === "tenant" ? { id: access.tenantId, name: access.tenantName } : undefined;
        const tenants = fixed ? [] : await tenantChoices(deps.descope);
        await client.views.open({
          trigger_id: triggerId,
          view: expectModal({
            channelId: who.channelId,
            tenants,
            ...(fixed ? { fixedTenant: fixed } : {}),
          }) as never,
        });
        return "opened";
      });
    },

    pending: (tenant: string | undefined, who: Who, respond: RespondFn) =>
      ctx.run("pending", "Listing pending hires", who, respond, async (access) => {
        const target = await ctx.tenantFor(access, tenant, "");
        if (target && "refusal" in target) {
          await answer(respond, target.refusal);
          return "refused";
        }
        const views = await visibleViews(access, who, target?.tenantId);
        await answer(
          respond,
          pendingMessage(
            views.map((v) => v.view),
            target ? ` in ${target.tenantName}` : "",
          ),
        );
        return `listed_${views.length}`;
      }),

    forget: (loginId: string, tenant: string | undefined, who: Who, respond: RespondFn) =>
      ctx.run("forget", "Forgetting", who, respond, async (access) => {
        const target = await ctx.tenantFor(access, tenant, "");
        if (target && "refusal" in target) {
          await answer(respond, target.refusal);
          return "refused";
        }
        const matches = (await visibleViews(access, who, target?.tenantId)).filter(
          (v) => v.view.hire.loginId.toLowerCase() === loginId.toLowerCase(),
        );
        const m = matches[0];
        if (matches.length > 1) {
          await answer(
            respond,
            notice(
              `${esc(loginId)} is expected in several tenants: name one, \`/scim forget ${esc(loginId)} <tenant>\`.`,
              "Name the tenant.",
            ),
          );
          return "ambiguous";
        }
        if (!m) {
          await answer(
            respond,
            notice(`No pending hire ${esc(loginId)} here.`, `No pending hire ${loginId} here.`),
          );
          return "not_found";
        }
        await deps.hires.forget(m.id);
        await answer(
          respond,
          notice(
            `:wastebasket: Stopped tracking *${esc(m.view.hire.loginId)}* (${esc(m.view.hire.tenantName)}).`,
            `Stopped tracking ${m.view.hire.loginId}.`,
          ),
        );
        return "forgotten";
      }),

    alerts: (channelId: string, who: Who, respond: RespondFn) =>
      ctx.run("alerts", "Setting the alert channel", who, respond, async () => {
        // Routing a tenant's alerts decides who sees them and who may act on
        // them: admins only, never anyone who merely sits in a linked channel.
        if (!deps.adminUsers.has(who.userId)) {
          await answer(
            respond,
            notice(
              "Only scimwatch admins (SCIMWATCH_ADMIN_USERS) can choose where a tenant's alerts go: ask one to run `/scim alerts #channel` here.",
              "Only admins can choose where alerts go.",
            ),
          );
          return "refused";
        }
        const link = await deps.links.get(who.channelId);
        if (!link) {
          await answer(
            respond,
            notice(
              "Run `/scim alerts #channel` in a channel linked to a tenant (an admin links it with `/scim link &lt;tenant&gt;`).",
              "Run this in a linked channel.",
            ),
          );
          return "not_linked";
        }
        await deps.links.set(who.channelId, { ...link, alertChannel: channelId });
        await ctx.safeRespond(respond, {
          response_type: "in_channel",
          ...notice(
            `:rotating_light: Alerts for *${esc(link.tenantName)}* now go to <#${esc(channelId)}>. Invite me there with \`/invite @scimwatch\`.`,
            `Alerts for ${link.tenantName} now go to that channel.`,
          ),
        });
        return "set";
      }),
  };
}

/** The channel an expect form was opened from (kept in its private metadata). */
function expectChannelOf(body: unknown): string {
  const b = body as { view?: { private_metadata?: string }; channel?: { id?: string } };
  try {
    const meta = JSON.parse(b.view?.private_metadata || "{}") as { channelId?: unknown };
    if (typeof meta.channelId === "string") return meta.channelId;
  } catch {
    // not ours
  }
  return b.channel?.id ?? "";
}

/** Buttons on checklists and alerts, the expect form's submission, and the App Home. */
export function registerHireInteractions(app: App, deps: HireCommandDeps, ctx: SlackContext): void {
  const { log } = deps;

  /**
   * May this person act on this hire from here? Access to the hire's tenant
   * (admin, support channel, or a channel linked to that tenant), having
   * registered it, or sitting in the channel chosen for that tenant's alerts.
   * Where a message sits grants nothing by itself.
   */
  async function mayAct(w: Who, id: string) {
    const hire = await deps.hires.get(id);
    if (!hire) return null;
    const access = await ctx.accessFor(w.userId, w.channelId);
    const alertChannel = (await alertChannels(deps.links, deps.alertChannel))(hire.tenantId);
    return hireAllowed(access, hire, w, alertChannel) ? hire : null;
  }

  async function markAssigned(w: Who, ids: string[], batchId: string): Promise<void> {
    const now = deps.now();
    for (const id of ids) {
      if (!(await mayAct(w, id))) continue;
      await deps.hires.update(id, (h) =>
        h.items.assigned.at
          ? null
          : { ...h, items: { ...h.items, assigned: { at: now, by: "it" } } },
      );
    }
    await refreshChecklist(deps, batchId, now);
  }

  app.action(HIRE_ACTIONS.markAllAssigned, async ({ ack, body }) => {
    await ack();
    const batch = await deps.hires.getBatch(clickedValue(body));
    if (batch)
      await markAssigned(clickedBy(body), batch.hireIds, batch.id).catch((e) =>
        log.warn({ err: e }, "mark assigned failed"),
      );
  });

  app.action(HIRE_ACTIONS.markAssigned, async ({ ack, body }) => {
    await ack();
    const [batchId = "", loginId = ""] = clickedValue(body).split("|");
    const batch = await deps.hires.getBatch(batchId);
    if (!batch) return;
    const records = await deps.hires.getMany(batch.hireIds);
    const ids = records
      .filter((r) => r.hire.loginId.toLowerCase() === loginId.toLowerCase())
      .map((r) => r.id);
    await markAssigned(clickedBy(body), ids, batch.id).catch((e) =>
      log.warn({ err: e }, "mark assigned failed"),
    );
  });

  app.action(HIRE_ACTIONS.recheck, async ({ ack, body, respond }) => {
    await ack();
    const id = clickedValue(body);
    const w = clickedBy(body);
    if (!(await mayAct(w, id)))
      return ctx.safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...NO_ACCESS,
      });
    try {
      await deps.evaluate([id]);
      const h = await deps.hires.get(id);
      const v = h ? view(h, deps.now(), deps.graceMinutes) : null;
      const msg = v?.hire.items.provisioned.at
        ? notice(
            `:white_check_mark: *${esc(v.hire.loginId)}* has arrived in Descope.`,
            `${v.hire.loginId} has arrived.`,
          )
        : notice(
            `Still missing: *${esc(h?.loginId ?? "")}* is not in Descope yet (checked just now).`,
            "Still missing.",
          );
      await ctx.safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...msg,
      });
    } catch (e) {
      await ctx.safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...failureMessage(e, "Re-checking"),
      });
    }
  });

  app.action(HIRE_ACTIONS.snooze, async ({ ack, body, respond }) => {
    await ack();
    const id = clickedValue(body);
    if (!(await mayAct(clickedBy(body), id)))
      return ctx.safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...NO_ACCESS,
      });
    const until = deps.now() + 3_600_000;
    const h = await deps.hires.update(id, (x) => ({ ...x, snoozedUntil: until }));
    if (h)
      await ctx.safeRespond(respond, {
        replace_original: true,
        ...snoozedAlertMessage(view(h, deps.now(), deps.graceMinutes), id, until),
      });
  });

  app.action(HIRE_ACTIONS.dismiss, async ({ ack, body, respond }) => {
    await ack();
    const id = clickedValue(body);
    const w = clickedBy(body);
    if (!(await mayAct(w, id)))
      return ctx.safeRespond(respond, {
        response_type: "ephemeral",
        replace_original: false,
        ...NO_ACCESS,
      });
    const h = await deps.hires.update(id, (x) => ({ ...x, dismissed: true }));
    if (h)
      await ctx.safeRespond(respond, {
        replace_original: true,
        ...dismissedAlertMessage(h, w.userId),
      });
  });

  // Type-ahead for long lists (more than Slack's 100 static options).
  app.options({ block_id: "tenant", action_id: "value" }, async ({ ack, body }) => {
    const query = (body as { value?: string }).value ?? "";
    const who = { userId: body.user.id, channelId: expectChannelOf(body) };
    try {
      const access = await ctx.accessFor(who.userId, who.channelId);
      const all =
        access.kind === "tenant"
          ? [{ id: access.tenantId, name: access.tenantName }]
          : access.kind === "any"
            ? await tenantChoices(deps.descope)
            : [];
      await ack({
        options: tenantOptions(matching(all, query, (t) => `${t.name} ${t.id}`)) as never,
      });
    } catch (e) {
      log.warn({ err: e }, "tenant type-ahead failed");
      await ack({ options: [] });
    }
  });

  app.options({ action_id: HIRE_ACTIONS.markAssigned }, async ({ ack, body }) => {
    const query = (body as { value?: string }).value ?? "";
    const batchId = batchOfBlockId((body as { block_id?: string }).block_id ?? "");
    const batch = batchId ? await deps.hires.getBatch(batchId).catch(() => null) : null;
    if (!batch) return void (await ack({ options: [] }));
    const records = await deps.hires.getMany(batch.hireIds);
    const unassigned = records.filter((r) => !r.hire.items.assigned.at).map((r) => r.hire.loginId);
    await ack({
      options: markOptions(
        batch.id,
        matching(unassigned, query, (l) => l),
      ) as never,
    });
  });

  app.view("scim_expect_modal", async ({ ack, body, view: v, client }) => {
    const values = v.state.values as Record<
      string,
      Record<string, { value?: string | null; selected_option?: { value: string } | null }>
    >;
    const emailsText = values.emails?.value?.value ?? "";
    const tenantId = values.tenant?.value?.selected_option?.value;
    const idpRaw = values.idp?.value?.selected_option?.value ?? "infer";
    const atRaw = (values.at?.value?.value ?? "").trim();
    const now = deps.now();
    const { emails, rejected } = checkEmails(splitEmails(emailsText));
    const assignedAt = atRaw ? parseWhen(atRaw, now) : now;
    const errors: Record<string, string> = {};
    if (!emails.length)
      errors.emails = rejected.length
        ? `No valid email: ${rejected[0]?.input} is ${rejected[0]?.reason}`
        : "Give at least one email.";
    if (!tenantId) errors.tenant = "Pick a tenant.";
    if (assignedAt === undefined) errors.at = `${whenProblem(atRaw)}.`;
    else if (assignedAt > now + 5 * 60_000)
      errors.at = "This is in the future: give the time IT assigned them in the IdP.";
    const w = { userId: body.user.id, channelId: expectChannelOf(body) };
    // Access is decided before the form closes: a refusal shows in the form.
    const access = await ctx.accessFor(w.userId, w.channelId).catch(() => null);
    if (!access)
      errors.tenant = "scimwatch cannot reach its store right now: try again in a minute.";
    else if (
      tenantId &&
      access.kind !== "any" &&
      !(access.kind === "tenant" && access.tenantId === tenantId)
    ) {
      errors.tenant =
        access.kind === "tenant"
          ? `This channel is linked to ${access.tenantName}: register hires for that tenant only.`
          : "scimwatch is not enabled in this channel: ask an admin to link it to the tenant.";
    }
    if (Object.keys(errors).length) return void (await ack({ response_action: "errors", errors }));
    // The form stays open and shows the outcome, whatever happens next: the
    // person sees it even when the channel cannot (the bot not in it).
    await ack({
      response_action: "update",
      view: expectResultModal(
        notice(":hourglass_flowing_sand: Registering…", "Registering…"),
      ) as never,
    });
    const show = (msg: SlackMessage) =>
      client.views
        .update({ view_id: body.view.id, view: expectResultModal(msg) as never })
        .catch((e: unknown) => log.warn({ err: e }, "could not show the expect result"));
    try {
      const tenants = access?.kind === "any" ? await deps.descope.listTenants() : [];
      const tenant =
        access?.kind === "tenant"
          ? { tenantId: access.tenantId, tenantName: access.tenantName }
          : tenants
              .filter((t) => t.id === tenantId)
              .map((t) => ({ tenantId: t.id, tenantName: tenantLabel(t) }))[0];
      if (!tenant) {
        await show(
          notice(
            `:warning: The tenant \`${esc(tenantId ?? "")}\` no longer exists in Descope: nothing was registered.`,
            "That tenant no longer exists: nothing was registered.",
          ),
        );
        return;
      }
      const idp = idpRaw === "infer" ? undefined : parseIdp(idpRaw);
      const r = await registerHires(
        { ...deps, evaluate: (ids) => deps.evaluate(ids) },
        {
          ...tenant,
          emails,
          idp,
          assignedAt: assignedAt as number,
          channelId: w.channelId,
          userId: w.userId,
        },
      );
      r.rejected.unshift(...rejected);
      await show(registeredMessage(r, tenant.tenantName));
    } catch (e) {
      log.warn({ err: e }, "expect form failed");
      await show(failureMessage(e, "Registering"));
    }
  });

  app.event("app_home_opened", async ({ event }) => {
    if ((event as { tab?: string }).tab && (event as { tab?: string }).tab !== "home") return;
    try {
      await publishHome(deps, event.user);
    } catch (e) {
      log.warn({ err: e }, "App Home failed");
    }
  });

  for (const [actionId, verb] of [
    [HOME_ACTIONS.recheck, "recheck"],
    [HOME_ACTIONS.forget, "forget"],
  ] as const) {
    app.action(actionId, async ({ ack, body }) => {
      await ack();
      const id = clickedValue(body);
      const userId = (body as { user: { id: string } }).user.id;
      const h = await deps.hires.get(id);
      if (!h || !hireAllowed(homeAccess(deps, userId), h, { userId, channelId: "" })) return;
      try {
        if (verb === "forget") await deps.hires.forget(id);
        else await deps.evaluate([id]);
        await publishHome(deps, userId);
      } catch (e) {
        log.warn({ err: e }, "App Home action failed");
      }
    });
  }
}

/** App Home is no channel: admins see every tenant, others what they registered. */
function homeAccess(deps: Pick<HireCommandDeps, "adminUsers">, userId: string): Access {
  return decideAccess(
    { supportChannels: new Set(), adminUsers: deps.adminUsers },
    { userId, channelId: "" },
    null,
  );
}

/** Admins see every tenant's hires; others see the hires they registered. */
export async function publishHome(deps: HireCommandDeps, userId: string): Promise<void> {
  const now = deps.now();
  const access = homeAccess(deps, userId);
  const admin = access.kind === "any";
  const visible = (h: { tenantId: string; registeredBy: string }) =>
    hireAllowed(access, h, { userId, channelId: "" });
  const open = (await deps.hires.getMany(await deps.hires.openIds())).filter((r) =>
    visible(r.hire),
  );
  const done = (await deps.hires.getMany(await deps.hires.doneSince(now - 86_400_000))).filter(
    (r) => visible(r.hire),
  );
  const views = open.map((r) => ({ id: r.id, view: view(r.hire, now, deps.graceMinutes) }));
  const tenants = [...new Set([...open, ...done].map((r) => r.hire.tenantName))];
  const recent = (await deps.hires.recentAlerts()).filter(
    (a) => admin || open.some((r) => r.hire.tenantId === a.tenantId),
  );
  await deps.notifier.publishHome(
    userId,
    homeView({
      overdue: views.filter((v) =>
        ["overdue", "scim_error", "not_scim_managed"].includes(v.view.status),
      ),
      pending: views.filter((v) => v.view.status === "waiting"),
      provisioned24h: [
        ...views.filter(
          (v) =>
            v.view.status === "provisioned" &&
            (v.view.hire.items.provisioned.at ?? 0) > now - 86_400_000,
        ),
        ...done.map((r) => ({ id: r.id, view: view(r.hire, now, deps.graceMinutes) })),
      ],
      alerts: recent,
      tenants,
      alertChannel: deps.alertChannel,
      admin,
    }),
  );
}
