/**
 * Links into the systems of record (Entra admin center, Okta Admin Console,
 * Descope console), built in one place from the IDs the connectors and
 * Descope return. Only formats shared/reference/deep-links.md marks high or
 * medium confidence become links; for the others the label names the nearest
 * reliable page and the menu to open from there. Pure.
 */

export interface Link {
  /** What the reader sees (plain text; the renderer escapes it). */
  label: string;
  url: string;
}

const ENTRA = "https://entra.microsoft.com";
const DESCOPE = "https://app.descope.com";
const enc = encodeURIComponent;

/** Entra admin center, pinned to the customer's directory (tenant ID or domain). */
export const entraLink = {
  /** high */
  user: (tenant: string, userId: string) =>
    `${ENTRA}/${enc(tenant)}/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/${enc(userId)}`,
  /** high */
  group: (tenant: string, groupId: string) =>
    `${ENTRA}/${enc(tenant)}/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${enc(groupId)}`,
  /** high */
  appOverview: (tenant: string, spId: string, appId: string) =>
    `${ENTRA}/${enc(tenant)}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/objectId/${enc(spId)}/appId/${enc(appId)}`,
  /** medium */
  appUsersAndGroups: (tenant: string, spId: string, appId: string) =>
    `${ENTRA}/${enc(tenant)}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Users/objectId/${enc(spId)}/appId/${enc(appId)}`,
};

/** The Okta admin host of an org URL: `acme.okta.com` → `acme-admin.okta.com` (medium-high). */
export function oktaAdminHost(orgUrl: string): string | null {
  try {
    const u = new URL(orgUrl);
    const [first, ...rest] = u.hostname.split(".");
    if (!first || !rest.length) return null;
    const admin = first.endsWith("-admin") ? first : `${first}-admin`;
    return `${u.protocol}//${[admin, ...rest].join(".")}${u.port ? `:${u.port}` : ""}`;
  } catch {
    return null;
  }
}

export const oktaLink = {
  /** high */
  user: (admin: string, userId: string) => `${admin}/admin/user/profile/view/${enc(userId)}`,
  /** medium: the user's Apps tab (the app's own pages need its type key, not always known) */
  userApps: (admin: string, userId: string) =>
    `${admin}/admin/user/profile/view/${enc(userId)}#tab-apps`,
  /** high */
  group: (admin: string, groupId: string) => `${admin}/admin/group/${enc(groupId)}`,
  /** high: needs the app's `name` (type key), never its label */
  app: (admin: string, appName: string, appId: string) =>
    `${admin}/admin/app/${enc(appName)}/instance/${enc(appId)}/`,
};

/** Descope console pages; its URLs carry no project ID, so labels name the project. */
export const descopeLink = {
  /** medium-high */
  users: () => `${DESCOPE}/users`,
  /** medium-high */
  tenants: () => `${DESCOPE}/tenants`,
};

/** The links a check answer carries for the Entra side. */
export function entraLinks(
  c: { entraTenant: string; spId: string; appId: string; appName: string },
  facts: { user: { id: string } | null; groups: Array<{ id: string; name: string }> },
): Link[] {
  const links: Link[] = [];
  if (c.spId && c.appId) {
    links.push({
      label: `Entra: ${c.appName} › Users and groups`,
      url: entraLink.appUsersAndGroups(c.entraTenant, c.spId, c.appId),
    });
    links.push({
      label: `Entra: ${c.appName} (Overview › Provisioning, Provision on demand)`,
      url: entraLink.appOverview(c.entraTenant, c.spId, c.appId),
    });
  }
  if (facts.user)
    links.push({ label: "Entra: the user", url: entraLink.user(c.entraTenant, facts.user.id) });
  for (const g of facts.groups.slice(0, 3))
    links.push({ label: `Entra: group ${g.name}`, url: entraLink.group(c.entraTenant, g.id) });
  return links;
}

/** The links a check answer carries for the Okta side. */
export function oktaLinks(
  c: { oktaUrl: string },
  facts: { user: { id: string } | null; groups: Array<{ id: string; name: string }> },
): Link[] {
  const admin = oktaAdminHost(c.oktaUrl);
  if (!admin) return [];
  const links: Link[] = [];
  if (facts.user) {
    links.push({ label: "Okta: the user", url: oktaLink.user(admin, facts.user.id) });
    links.push({
      label: "Okta: the user's apps (then the Descope app › Assignments, Provisioning)",
      url: oktaLink.userApps(admin, facts.user.id),
    });
  }
  for (const g of facts.groups.slice(0, 3))
    links.push({ label: `Okta: group ${g.name}`, url: oktaLink.group(admin, g.id) });
  return links;
}

/** The Descope console page to open for a person, labelled with the project (console URLs carry none). */
export function descopeUserLink(projectId: string, loginId: string): Link {
  return {
    label: `Descope console › Users, search ${loginId} (project ${projectId})`,
    url: descopeLink.users(),
  };
}

/** Every page an answer links: the IdP's (from its side), then Descope's. Pure. */
export function answerLinks(d: {
  idpSide: { links?: Link[] | undefined } | null;
  links: Link[];
}): Link[] {
  return [...(d.idpSide?.links ?? []), ...d.links];
}
