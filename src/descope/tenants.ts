/** Finding a tenant by what someone typed, and the name people see for it: decided once. */
import { editDistance } from "../core/edit-distance.js";
import { UnknownTenantError } from "../core/failure.js";
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

/**
 * Tenants whose name is close to what someone typed: it starts or contains
 * the text ("Acme" → "Acme Corp"), or is within two edits of it ("Acne Corp").
 * At most three, closest first. Pure.
 */
export function similarTenants(tenants: DescopeTenant[], typed: string): string[] {
  const t = typed.trim().toLowerCase();
  if (t.length < 2) return [];
  const scored: Array<[number, string]> = [];
  for (const tenant of tenants) {
    const label = tenantLabel(tenant);
    const name = label.toLowerCase();
    const score = name.startsWith(t)
      ? 0
      : t.length >= 3 && name.includes(t)
        ? 1
        : Math.abs(name.length - t.length) <= 2 && editDistance(name, t) <= 2
          ? 2
          : -1;
    if (score >= 0) scored.push([score, label]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].length - b[1].length)
    .slice(0, 3)
    .map(([, label]) => label);
}

/** The tenant someone typed (ID or name); an UnknownTenantError offering close names otherwise. */
export async function resolveTenant(
  descope: Pick<DescopeClient, "listTenants">,
  idOrName: string,
): Promise<{ tenantId: string; tenantName: string }> {
  const tenants = await descope.listTenants();
  const t = matchTenant(tenants, idOrName);
  if (!t) throw new UnknownTenantError(idOrName, similarTenants(tenants, idOrName));
  return { tenantId: t.id, tenantName: tenantLabel(t) };
}
