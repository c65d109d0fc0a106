/** Judges submitted programs in sandboxes; stateless, scaled by adding nodes. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "judge", database: false } as const;
