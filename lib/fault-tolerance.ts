/**
 * Spread into the schema of an idempotent action (a read): only these are retried, with the
 * broker's backoff (moleculer.config.ts). A retried write could act twice, so writes never opt in.
 */
export const READ = { retryPolicy: { enabled: true } } as const;
