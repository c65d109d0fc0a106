/** Educational posts, reactions and comments. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "posts", database: true } as const;
