/**
 * The keys we add to Moleculer's schemas, and gaps in its 0.15 typings. Moleculer's package
 * exports only its root, so the augmentation names the declaration files by path.
 */
import type { Role } from "../lib/auth-types";

declare module "../node_modules/moleculer/src/service" {
	interface ActionSchema {
		/** "required": only an authenticated caller (enforced by AuthorizationMiddleware). */
		auth?: "required" | "optional";
		/** Roles allowed to call; implies auth "required". */
		roles?: Role[];
		/** Per-action timeout in ms (honoured by the broker, missing from the typings). */
		timeout?: number;
		/**
		 * The action's public route, "<METHOD> <path under /api>", e.g. "GET /posts/:idOrSlug". The
		 * gateway's route table is built from these keys (services/gateway/routes.ts); an action
		 * without one is not reachable over HTTP.
		 */
		http?: `${"GET" | "POST" | "PUT" | "PATCH" | "DELETE"} /${string}`;
		/**
		 * What the action answers, as a fastest-validator schema: a props object (its `$$strict:
		 * true` says no other field appears), or a `$$root: true` rule for a value such as a boolean;
		 * `null` when it answers 204 with no body. The OpenAPI document states it as the success
		 * response (services/gateway/openapi.ts); declare it `as const` and derive the result type
		 * with `Infer` (docs/schemas.md). Documentation, not checked at run time.
		 */
		response?: Record<string, unknown> | null;
	}
}

declare module "../node_modules/moleculer/src/transporters/amqp" {
	interface AmqpTransporterOptions {
		/** Passed to amqplib's connect: `noDelay` turns Nagle's algorithm off. */
		socketOptions?: Record<string, unknown>;
	}
}
