/** The HTTP entry point; it owns no data. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "gateway", database: false } as const;
