/** Finding a tenant by what someone typed, and the name people see for it: decided once. */
import type { DescopeClient } from "./client.js";
import type { DescopeTenant } from "./schemas.js";

/** The label people see: the tenant's name, else its ID. */
export function tenantLabel(t: { id: string; name?: string | null | undefined }): string {
  return t.name || t.id;
}

/** Finds a tenant by exact ID, else by case-insensitive name. */
export function matchTenant(tenants: DescopeTenant[], idOrName: string): DescopeTenant | undefined {
  const key = idOrName.trim();
  return (
    tenants.find((t) => t.id === key) ??
    tenants.find((t) => (t.name ?? "").toLowerCase() === key.toLowerCase())
  );
}

/** Every tenant as `{ id, name }` with the label as its name (menus, pickers). */
export async function tenantChoices(
  descope: Pick<DescopeClient, "listTenants">,
): Promise<Array<{ id: string; name: string }>> {
  return (await descope.listTenants()).map((t) => ({ id: t.id, name: tenantLabel(t) }));
}

/** The tenant someone typed (ID or name), or null. */
export async function resolveTenant(
  descope: Pick<DescopeClient, "listTenants">,
  idOrName: string,
): Promise<{ tenantId: string; tenantName: string } | null> {
  const t = matchTenant(await descope.listTenants(), idOrName);
  return t ? { tenantId: t.id, tenantName: tenantLabel(t) } : null;
}
