/** Type-ahead for lists longer than Slack's 100 static options: tenants in the expect form, hires on a checklist. */
import type { App } from "@slack/bolt";
import { tenantChoices } from "../../../descope/tenants.js";
import { markOptions, matching, tenantOptions } from "../../../render/forms.js";
import {
  batchOfBlockId,
  decodeExpectMeta,
  EXPECT_BLOCKS,
  HIRE_ACTIONS,
  INPUT_ACTION,
} from "../../../render/ids.js";
import { onOptions } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

export function registerOptions(app: App, deps: ListenerDeps): void {
  app.options(
    { block_id: EXPECT_BLOCKS.tenant, action_id: INPUT_ACTION },
    onOptions(deps, "tenant_typeahead", async ({ body }) => {
      const query = (body as { value?: string }).value ?? "";
      const meta = decodeExpectMeta(
        (body as { view?: { private_metadata?: string } }).view?.private_metadata,
      );
      const who = { userId: body.user.id, channelId: meta?.channelId ?? "" };
      const access = await deps.guard.accessFor(who);
      const all =
        access.kind === "tenant"
          ? [{ id: access.tenantId, name: access.tenantName }]
          : access.kind === "any"
            ? await tenantChoices(deps.descope)
            : [];
      return tenantOptions(matching(all, query, (t) => `${t.name} ${t.id}`));
    }),
  );

  app.options(
    { action_id: HIRE_ACTIONS.markAssigned },
    onOptions(deps, "hire_typeahead", async ({ body }) => {
      const query = (body as { value?: string }).value ?? "";
      const batchId = batchOfBlockId((body as { block_id?: string }).block_id ?? "");
      const batch = batchId ? await deps.hires.getBatch(batchId) : null;
      if (!batch) return [];
      // Only the hires this person may act on from here (the same rule as the buttons).
      const b = body as { channel?: { id?: string }; container?: { channel_id?: string } };
      const who = {
        userId: body.user.id,
        channelId: b.channel?.id ?? b.container?.channel_id ?? "",
      };
      const allowed = await Promise.all(batch.hireIds.map((id) => deps.guard.hireFor(who, id)));
      const unassigned = allowed
        .filter((h) => h !== null && h.batchId === batch.id && !h.items.assigned.at)
        .map((h) => (h as NonNullable<typeof h>).loginId);
      return markOptions(
        batch.id,
        matching(unassigned, query, (l) => l),
      );
    }),
  );
}
