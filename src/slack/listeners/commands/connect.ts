/** `/scim connect <tenant> entra …`, `/scim connections`, `/scim disconnect <tenant>` (admins only). */

import { entraTenantOf } from "../../../core/idp-side/model.js";
import { resolveTenant } from "../../../descope/tenants.js";
import { writeAccess } from "../../../features/actions/access.js";
import { connectEntra } from "../../../features/connections/connect.js";
import {
  CONNECT_ADMINS_ONLY,
  connectionsMessage,
  connectMessage,
  disconnectedMessage,
  ENTRA_NOT_CONFIGURED,
  needAppMessage,
  needEntraTenantMessage,
  oktaConnectModal,
  SECRETS_KEY_MISSING,
} from "../../../render/connections.js";
import { encodeConnectMeta } from "../../../render/ids.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";
import { adminOnTenant, targetOf } from "./guards.js";

export const connect: CommandListener<Extract<ScimCommand, { kind: "connect" }>> = {
  what: "Connecting the IdP",
  guards: { adminsOnly: CONNECT_ADMINS_ONLY },
  async run(deps, cmd, req) {
    if (cmd.idp === "okta") {
      if (!deps.secretBox) {
        await req.reply(SECRETS_KEY_MISSING);
        return "no_secrets_key";
      }
      const t = await resolveTenant(deps.descope, cmd.tenant);
      await req.client.views.open({
        trigger_id: req.triggerId,
        view: oktaConnectModal(
          encodeConnectMeta({
            tenantId: t.tenantId,
            tenantName: t.tenantName,
            channelId: req.who.channelId,
          }),
          t.tenantName,
        ),
      });
      return "form_opened";
    }
    const entra = deps.entra;
    if (!entra) {
      await req.reply(ENTRA_NOT_CONFIGURED);
      return "not_configured";
    }
    const tenant = await resolveTenant(deps.descope, cmd.tenant);
    const entraTenant =
      cmd.entraTenant ??
      entraTenantOf(await deps.descope.loadSsoSettings(tenant.tenantId).catch(() => null));
    if (!entraTenant) {
      await req.reply(needEntraTenantMessage(tenant.tenantName));
      return "need_entra_tenant";
    }
    if (!cmd.app) {
      await req.reply(needAppMessage(tenant.tenantName));
      return "need_app";
    }
    const { app, found, missing } = await connectEntra(
      { entra, connections: deps.connections, now: deps.now },
      { ...tenant, entraTenant, app: cmd.app, by: req.who.userId },
    );
    await req.reply(
      connectMessage({
        tenantName: tenant.tenantName,
        entraTenant,
        consentUrl: entra.consentUrl(entraTenant),
        app: app?.displayName ?? cmd.app,
        found,
        missing,
        connected: Boolean(app) && !missing.length,
      }),
    );
    return app ? (missing.length ? "connected_incomplete" : "connected") : "not_connected";
  },
};

export const connections: CommandListener<Extract<ScimCommand, { kind: "connections" }>> = {
  what: "Listing IdP connections",
  async run(deps, _cmd, req) {
    const access = await deps.guard.require(req.who);
    const all = await deps.connections.all();
    // A channel linked to a tenant sees only that tenant's connection.
    const visible =
      access.kind === "tenant" ? all.filter((c) => c.tenantId === access.tenantId) : all;
    // Which fix-it actions each tenant allows, and why not the others (the one write-access rule).
    const actionsOf = async (tenantId: string) => {
      if (!deps.action) return "off in this process";
      const w = await writeAccess(deps.action, tenantId);
      // Descope's own key needs only approvers (the management key is the write access).
      const manual =
        "SCIM key rotation from the key alert (the new token shown once to the approver, the old keys revoked as a second step)";
      if (!w.ok) return `none: ${w.why}${deps.action.approvers.size ? `; ${manual}` : ""}`;
      return w.target.idp === "azure"
        ? "push now (Entra provision on demand) and restart a quarantined job, each approved by an approver; SCIM key rotation from the key alert, handed to Entra (validated and saved as the job's secret, then the old keys deactivated)"
        : `assign in Okta (into the group assigned to the app), approved by an approver; ${manual}`;
    };
    await req.reply(
      connectionsMessage(
        await Promise.all(
          visible.map(async (c) => ({
            ...c,
            where: c.idp === "azure" ? `Entra ${c.entraTenant}` : `Okta ${c.oktaUrl}`,
            actions: await actionsOf(c.tenantId),
          })),
        ),
      ),
    );
    return `listed_${visible.length}`;
  },
};

export const disconnect: CommandListener<Extract<ScimCommand, { kind: "disconnect" }>> = {
  what: "Disconnecting the IdP",
  guards: adminOnTenant(CONNECT_ADMINS_ONLY),
  async run(deps, _cmd, req) {
    const { tenantId, tenantName } = targetOf(req);
    const had = await deps.connections.delete(tenantId);
    await req.reply(disconnectedMessage(tenantName, had), { inChannel: true });
    return had ? "disconnected" : "not_connected";
  },
};
