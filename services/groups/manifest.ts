/** Groups, memberships, invitations and join requests. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "groups", database: true } as const;
