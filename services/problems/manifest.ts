/** Problems with hidden tests, code submissions and their verdicts, the practice archive. Listed in services/manifests.ts, which says what the fields mean. */
export const manifest = { name: "problems", database: true } as const;
