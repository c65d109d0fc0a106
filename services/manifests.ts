/**
 * Every service of the image, one manifest each (services/<name>/manifest.ts), in start order.
 * Light on purpose: the config reads it at load, so it imports the manifests and nothing else.
 *
 * A manifest says what the platform needs to know of a service without loading its code:
 * - `name`: the Moleculer service name, a value of `SERVICES`, and the folder's name;
 * - `database`: it owns a database `codelearn_<name>` (schema `<name>`), overridable by
 *   `<NAME>_DATABASE_URL`, and the deploy files must provide it (test/integration/deploy-manifests.test.ts).
 *
 * Derived from here: the config's `SERVICE_NAMES` and `DATABASE_SERVICES` (and each database's
 * URL variable); the service registry (services/index.ts, which attaches each factory); the
 * gateway's route table, from the `http` keys of every registered service's actions.
 */
import { manifest as audit } from "./audit/manifest";
import { manifest as contests } from "./contests/manifest";
import { manifest as gateway } from "./gateway/manifest";
import { manifest as groups } from "./groups/manifest";
import { manifest as judge } from "./judge/manifest";
import { manifest as notifications } from "./notifications/manifest";
import { manifest as posts } from "./posts/manifest";
import { manifest as problems } from "./problems/manifest";
import { manifest as rankings } from "./rankings/manifest";
import { manifest as users } from "./users/manifest";

export interface ServiceManifest {
	readonly name: string;
	readonly database: boolean;
}

export const SERVICE_MANIFESTS = [
	gateway,
	users,
	groups,
	posts,
	contests,
	problems,
	judge,
	rankings,
	notifications,
	audit
] as const satisfies readonly ServiceManifest[];

type Manifest = (typeof SERVICE_MANIFESTS)[number];
type DatabaseManifest = Extract<Manifest, { database: true }>;
export type ServiceName = Manifest["name"];
export type DatabaseServiceName = DatabaseManifest["name"];

/** Every service this image can run; `SERVICES` picks a subset per node. */
export const SERVICE_NAMES: readonly ServiceName[] = SERVICE_MANIFESTS.map(m => m.name);

/** Services that own a database (`codelearn_<name>`). */
export const DATABASE_SERVICES: readonly DatabaseServiceName[] = SERVICE_MANIFESTS.filter((m): m is DatabaseManifest => m.database).map(
	m => m.name
);
