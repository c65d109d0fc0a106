/** Notifications from domain events, preferences and mutes. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "notifications", database: true } as const;
