/**
 * The IdP's side of a check, when the tenant has a read-only connector: read
 * the facts, decide with the one rule set (core/idp-side.ts). A connector that
 * fails never breaks a check: the answer says what the IdP side could not tell.
 */

import { readEntraFacts } from "../connectors/entra-facts.js";
import { ConnectorError, type EntraHttp } from "../connectors/entra-http.js";
import { decideEntra, type IdpSide } from "../core/idp-side.js";
import type { Logger } from "../log/logger.js";
import type { ConnectionStore } from "../redis/connections.js";

export interface IdpSideAnswer {
  side: IdpSide | null;
  /** Set when the IdP side could not be read: what and why, in one line. */
  note?: string;
}

export function idpSideReader(deps: {
  connections: ConnectionStore;
  entra: EntraHttp | null;
  log: Logger;
  now: () => number;
}) {
  return async (tenantId: string, loginId: string): Promise<IdpSideAnswer | null> => {
    const c = await deps.connections.get(tenantId).catch(() => null);
    if (!c) return null;
    if (!deps.entra)
      return {
        side: null,
        note: "Entra ID side unavailable: ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET are not set on scimwatch.",
      };
    try {
      const { facts, unread } = await readEntraFacts(deps.entra, c, loginId);
      const side = decideEntra(facts, loginId);
      side.unread = unread;
      await deps.connections.mark(tenantId, true, null, deps.now()).catch(() => {});
      return { side };
    } catch (e) {
      const msg = e instanceof ConnectorError ? e.message : `unexpected: ${(e as Error).message}`;
      if (!(e instanceof ConnectorError))
        deps.log.error({ kind: "idp_side", err: e }, "Entra read failed");
      await deps.connections.mark(tenantId, false, msg, deps.now()).catch(() => {});
      return {
        side: null,
        note: `Entra ID side unavailable: ${msg}. The verdict above is from Descope's side only.`,
      };
    }
  };
}
