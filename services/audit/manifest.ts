/** The append-only trail of every domain event. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "audit", database: true } as const;
