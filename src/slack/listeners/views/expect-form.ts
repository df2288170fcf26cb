/**
 * The expect form's submission: checked (emails, tenant, time, access) before
 * it closes, then registered, with the outcome shown in the form itself.
 */
import type { App } from "@slack/bolt";
import { checkEmails, MAX_BATCH, splitEmails } from "../../../core/hires/parse-expect.js";
import { parseStartDate } from "../../../core/hires/start.js";
import { parseIdp } from "../../../core/idp/catalog.js";
import { parseWhen, whenProblem } from "../../../core/when.js";
import { tenantLabel } from "../../../descope/tenants.js";
import { onboardingChannelFor } from "../../../features/hires/alert-channel.js";
import { checkRows, looksLikeCsv, readRows } from "../../../features/hires/intake.js";
import { registerHires } from "../../../features/hires/register.js";
import type { SlackMessage } from "../../../render/blocks.js";
import { expectResultModal } from "../../../render/forms.js";
import { decodeExpectMeta, EXPECT_BLOCKS, INPUT_ACTION, VIEWS } from "../../../render/ids.js";
import {
  failureMessage,
  REGISTERING,
  registeredMessage,
  tenantGoneMessage,
} from "../../../render/notices.js";
import { formSubmitter, onView } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

/** Pasted CSV rows, checked like a file's (features/hires/intake.ts); a malformed paste is one rejected line. */
function pastedRows(text: string, now: number) {
  try {
    const { rows, bad } = readRows(text);
    const intake = checkRows(rows, now);
    const emails = intake.emails.slice(0, MAX_BATCH);
    return {
      emails,
      details: intake.details,
      rejected: [
        ...bad,
        ...intake.rejected,
        ...intake.emails
          .slice(MAX_BATCH)
          .map((e) => ({ input: e, reason: `more than ${MAX_BATCH} in one batch` })),
      ],
    };
  } catch (e) {
    return {
      emails: [],
      details: new Map(),
      rejected: [{ input: "the pasted rows", reason: `not valid CSV (${(e as Error).message})` }],
    };
  }
}

type Values = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_date?: string | null;
    }
  >
>;

export function registerExpectForm(app: App, deps: ListenerDeps): void {
  const { log } = deps;
  app.view(
    VIEWS.expect,
    onView(
      deps,
      "expect_form",
      "Registering",
      formSubmitter(decodeExpectMeta),
      async ({ ack, body, view: v, client }, req) => {
        const values = v.state.values as Values;
        const input = (block: string) => values[block]?.[INPUT_ACTION];
        const emailsText = input(EXPECT_BLOCKS.emails)?.value ?? "";
        const tenantId = input(EXPECT_BLOCKS.tenant)?.selected_option?.value;
        const idpRaw = input(EXPECT_BLOCKS.idp)?.selected_option?.value ?? "infer";
        const atRaw = (input(EXPECT_BLOCKS.at)?.value ?? "").trim();
        const startRaw = input(EXPECT_BLOCKS.start)?.selected_date ?? "";
        const startDate = startRaw ? parseStartDate(startRaw) : undefined;
        const now = deps.now();
        // Pasted CSV rows (a header naming an email column) carry names and start dates too.
        const pasted = looksLikeCsv(emailsText) ? pastedRows(emailsText, now) : null;
        const { emails, rejected } = pasted ?? checkEmails(splitEmails(emailsText));
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
        // Access is decided before the form closes: a refusal shows in the form.
        const access = await deps.guard.accessFor(req.who).catch(() => null);
        const external = await deps.guard.externalRefusal(req.who, "act").catch(() => null);
        if (external)
          errors.emails =
            "Members of another organisation cannot register hires here (SCIMWATCH_EXTERNAL_MEMBERS).";
        else if (!access)
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
        if (Object.keys(errors).length) {
          await ack({ response_action: "errors", errors });
          return "invalid";
        }
        // The form stays open and shows the outcome, whatever happens next: the
        // person sees it even when the channel cannot (the bot not in it).
        await ack({ response_action: "update", view: expectResultModal(REGISTERING) });
        const show = (msg: SlackMessage) =>
          client.views
            .update({ view_id: body.view.id, view: expectResultModal(msg) })
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
            await show(tenantGoneMessage(tenantId ?? ""));
            return "tenant_gone";
          }
          const idp = idpRaw === "infer" ? undefined : parseIdp(idpRaw);
          const r = await registerHires(
            { ...deps, graceMinutes: deps.settings.graceMinutes },
            {
              ...tenant,
              emails,
              idp,
              assignedAt: assignedAt as number,
              // From App Home (no channel): the tenant's onboarding route, as for the webhook.
              channelId:
                req.who.channelId ||
                ((await onboardingChannelFor(
                  deps.links,
                  tenant.tenantId,
                  deps.settings.alertChannel,
                )) ??
                  ""),
              userId: req.who.userId,
              startDate,
              ...(pasted ? { details: pasted.details } : {}),
            },
          );
          r.rejected.unshift(...rejected);
          await show(registeredMessage(r, tenant.tenantName));
          return `registered_${r.registered.length}_rejected_${r.rejected.length}`;
        } catch (e) {
          await show(failureMessage(e, "Registering"));
          throw e;
        }
      },
    ),
  );
}
