/** Accounts, sessions and roles. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "users", database: true } as const;
