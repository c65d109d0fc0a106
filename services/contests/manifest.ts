/** Contests, problems, submissions and leaderboards. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "contests", database: true } as const;
