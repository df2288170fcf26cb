/**
 * Descope's SCIM key writes for the rotation action (descope-api.md, SCIM
 * access keys): create a new key (the old ones stay valid), and later revoke
 * the configuration's keys as *deactivated* (restorable) then activate the
 * new one again — revoke names no key, so this is how "revoke the old key"
 * is done with the documented calls. The cleartext is returned once and
 * never stored or logged by scimwatch.
 */
import * as z from "zod";
import type { DescopeClient } from "./client.js";

const createdSchema = z.object({
  cleartext: z.string().min(1),
  key: z.object({ id: z.string(), name: z.string().nullish(), expireTime: z.number().nullish() }),
});
const revokedSchema = z.object({
  revokedKeyIds: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});
const activatedSchema = z.object({
  activatedKeyIds: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});

export async function createScimKey(
  d: Pick<DescopeClient, "managementCall">,
  o: { tenantId: string; ssoId: string | null; name: string },
): Promise<{ cleartext: string; id: string; name: string }> {
  const r = await d.managementCall(
    "Descope SCIM key create",
    "/v1/mgmt/scim/key/create",
    {
      tenantId: o.tenantId,
      ...(o.ssoId ? { ssoId: o.ssoId } : {}),
      name: o.name,
      // 0: never expires (the create page's advice unless keys are rotated on a schedule).
      expireTime: 0,
    },
    createdSchema,
  );
  return { cleartext: r.cleartext, id: r.key.id, name: r.key.name ?? o.name };
}

/** Deactivates every key of the configuration, then activates `keep` again; the keys deactivated (restorable with Activate). */
export async function revokeAllBut(
  d: Pick<DescopeClient, "managementCall">,
  o: { tenantId: string; ssoId: string | null; keep: string },
): Promise<{ deactivated: string[]; activated: string[] }> {
  const scope = { tenantId: o.tenantId, ...(o.ssoId ? { ssoId: o.ssoId } : {}) };
  const revoked = await d.managementCall(
    "Descope SCIM key revoke",
    "/v1/mgmt/scim/key/revoke",
    { ...scope, revokeMode: "SCIM_KEY_REVOKE_MODE_DEACTIVATE" },
    revokedSchema,
  );
  const activated = await d.managementCall(
    "Descope SCIM key activate",
    "/v1/mgmt/scim/key/activate",
    { ...scope, keyIds: [o.keep] },
    activatedSchema,
  );
  return {
    deactivated: revoked.revokedKeyIds.filter((k) => k !== o.keep),
    activated: activated.activatedKeyIds,
  };
}
