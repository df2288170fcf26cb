/** "Users here appear to be assigned one by one": SCIM users who are in no SCIM-pushed group. Pure. */

interface OneByOneInput {
  /** Login IDs (or user IDs) of the tenant's SCIM-provisioned users. */
  scimUsers: Array<{ userId: string; loginId: string }>;
  /** Groups the IdP pushed over SCIM, with their members' user IDs. */
  scimGroups: Array<{ display: string; memberUserIds: string[] }>;
}

export interface OneByOneSignal {
  ungrouped: number;
  total: number;
  message: string;
}

export function oneByOneSignal(input: OneByOneInput, minUsers = 3): OneByOneSignal | null {
  const total = input.scimUsers.length;
  if (total < minUsers) return null;
  const grouped = new Set(input.scimGroups.flatMap((g) => g.memberUserIds));
  const ungrouped = input.scimUsers.filter((u) => !grouped.has(u.userId)).length;
  if (ungrouped / total < 0.5) return null;
  const detail = input.scimGroups.length
    ? `${ungrouped} of ${total} SCIM-provisioned users are in none of the ${input.scimGroups.length} groups the IdP pushes`
    : `None of the ${total} SCIM-provisioned users is in a group pushed by the IdP (it pushes no groups)`;
  return {
    ungrouped,
    total,
    message: `Users here appear to be assigned one by one: ${detail}. Every new hire must then be remembered — assign a group to the app instead (/scim explain assignment).`,
  };
}
