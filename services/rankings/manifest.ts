/** Ratings and leaderboards, from domain events. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "rankings", database: true } as const;
