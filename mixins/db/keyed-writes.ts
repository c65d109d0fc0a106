import { AsyncLocalStorage } from "node:async_hooks";
import type { QueryOptions, Sequelize, Transaction, TransactionOptions } from "sequelize";
import { QueryTypes } from "sequelize";
import { ConflictError, IdempotencyKeyReusedError } from "../../lib/errors";
import type { IdempotencyMeta, RequestMeta } from "../../lib/auth-types";
import type { Migration } from "./migrate";

/** API.md: a keyed write repeated within 24 h returns the first result. */
export const KEYS_KEPT_HOURS = 24;

/** The meta of an answer a replay gives again with the body. */
const KEPT_META = ["$statusCode", "$location", "$responseHeaders"] as const;

/** One keyed write in progress: the transaction every query of it joins, opened by its first write. */
interface KeyedWrite {
	sequelize: Sequelize;
	transaction?: Transaction;
	savepoints: number;
	/** Set before the commit: what runs after it (its hooks, a relay woken by them) opens its own. */
	done: boolean;
	afterCommit: (() => Promise<void>)[];
}

const current = new AsyncLocalStorage<KeyedWrite>();
const PATCHED = Symbol("keyedWrites");

function joined(sequelize: Sequelize): Transaction | undefined {
	const write = current.getStore();
	return write && !write.done && write.sequelize === sequelize ? write.transaction : undefined;
}

/**
 * Makes a Sequelize instance take part in keyed writes. Inside one, every query that names no
 * transaction joins the write's transaction, and each `transaction(callback)` runs as a
 * savepoint of it: the handler's transactions, its reads and the key commit as one, whatever
 * the handler's shape. Outside one, nothing changes. Per instance, not Sequelize's global CLS:
 * in a cluster another service's queries on this node must keep their own database.
 */
export function enableKeyedWrites(sequelize: Sequelize): void {
	const patched = sequelize as Sequelize & { [PATCHED]?: true };
	if (patched[PATCHED]) return;
	patched[PATCHED] = true;
	const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: QueryOptions) => Promise<unknown>;
	const transaction = sequelize.transaction.bind(sequelize) as (options?: TransactionOptions) => Promise<Transaction>;

	sequelize.query = ((sql: unknown, options?: QueryOptions) => {
		const outer = options?.transaction === undefined ? joined(sequelize) : undefined;
		return query(sql, outer ? { ...options, transaction: outer } : options);
	}) as Sequelize["query"];

	sequelize.transaction = (async (
		optionsOrCallback?: TransactionOptions | ((t: Transaction) => Promise<unknown>),
		callback?: (t: Transaction) => Promise<unknown>
	) => {
		const [options, work] = typeof optionsOrCallback === "function" ? [undefined, optionsOrCallback] : [optionsOrCallback, callback];
		const write = current.getStore();
		if (!work || !write || write.done || write.sequelize !== sequelize) {
			return work ? (transaction as Sequelize["transaction"])(options ?? {}, work) : transaction(options);
		}
		write.transaction ??= await transaction(options);
		const outer = write.transaction;
		const savepoint = `keyed_write_${++write.savepoints}`;
		await query(`SAVEPOINT ${savepoint}`, { transaction: outer });
		try {
			const result = await work(outer);
			await query(`RELEASE SAVEPOINT ${savepoint}`, { transaction: outer });
			return result;
		} catch (err) {
			await query(`ROLLBACK TO SAVEPOINT ${savepoint}`, { transaction: outer }).catch(() => {});
			throw err;
		}
	}) as Sequelize["transaction"];
}

/**
 * Runs `work` after the commit of the keyed write in progress, if any; true when deferred. A
 * cache clean made inside a keyed write must also run once its effect is visible.
 */
export function afterKeyedCommit(work: () => Promise<void>): boolean {
	const write = current.getStore();
	if (!write || write.done) return false;
	write.afterCommit.push(work);
	return true;
}

interface StoredKey {
	fingerprint: string;
	response: { body: unknown; meta: Partial<RequestMeta> };
}

/**
 * A write sent with an Idempotency-Key, exactly once: the key and the answer are recorded in the
 * service's own database in the same transaction as the effect, so a repeat on any node, even
 * after the first node died, gets the first answer. Twins running at once both run; the second
 * to record the key waits on its row, finds it taken, rolls its effect back and answers the first's.
 */
export async function runKeyedWrite<T>(
	sequelize: Sequelize,
	schema: string,
	key: IdempotencyMeta,
	meta: RequestMeta,
	handler: () => Promise<T>
): Promise<T> {
	const table = `"${schema}".idempotency_keys`;
	const replay = async () => {
		const [stored] = await sequelize.query<StoredKey>(`SELECT fingerprint, response FROM ${table} WHERE key = $1`, {
			bind: [key.key],
			type: QueryTypes.SELECT
		});
		if (!stored) return undefined;
		if (stored.fingerprint !== key.fingerprint) throw new IdempotencyKeyReusedError();
		Object.assign(meta, stored.response.meta, {
			$responseHeaders: { ...stored.response.meta.$responseHeaders, "Idempotent-Replayed": "true" }
		});
		return { body: stored.response.body as T };
	};

	const first = await replay();
	if (first) return first.body;

	const write: KeyedWrite = { sequelize, savepoints: 0, done: false, afterCommit: [] };
	let result: T;
	try {
		result = await current.run(write, handler);
	} catch (err) {
		write.done = true;
		await write.transaction?.rollback().catch(() => {});
		// A twin that committed first can make this one fail (its name taken, its row gone): its answer is ours.
		const twin = await replay().catch(() => undefined);
		if (twin) return twin.body;
		throw err;
	}
	write.done = true;
	const transaction = write.transaction ?? (await sequelize.transaction());
	try {
		const response = { body: result ?? null, meta: Object.fromEntries(KEPT_META.flatMap(k => (meta[k] ? [[k, meta[k]]] : []))) };
		const recorded = await sequelize.query(
			`INSERT INTO ${table} (key, fingerprint, response) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key`,
			{ bind: [key.key, key.fingerprint, JSON.stringify(response)], type: QueryTypes.SELECT, transaction }
		);
		if (!recorded.length) {
			// A twin recorded it first (the insert waited for its commit): its effect stands, not ours.
			await transaction.rollback();
			const twin = await replay();
			if (twin) return twin.body;
			throw new ConflictError("A request with this Idempotency-Key is still running", "IDEMPOTENCY_KEY_IN_USE", { retryAfter: 1 });
		}
		await transaction.commit();
	} catch (err) {
		if (!(transaction as { finished?: string }).finished) await transaction.rollback().catch(() => {});
		throw err;
	}
	for (const work of write.afterCommit) await work();
	return result;
}

/** Forgets keys past their day, a batch at a time so that a long backlog never holds a long lock. */
export async function pruneKeys(sequelize: Sequelize, schema: string): Promise<void> {
	await sequelize.query(
		`DELETE FROM "${schema}".idempotency_keys WHERE key IN (
			SELECT key FROM "${schema}".idempotency_keys WHERE created_at < now() - interval '${KEYS_KEPT_HOURS} hours' LIMIT 1000)`
	);
}

/** Every database service's keys table; DbMixin adds it after the service's own migrations. */
export const createIdempotencyKeys: Migration = {
	name: "keyed-writes-0001",
	async up({ context: { query, schema } }) {
		await query(`
			CREATE TABLE "${schema}".idempotency_keys (
				key char(64) PRIMARY KEY,
				fingerprint char(64) NOT NULL,
				response jsonb NOT NULL,
				created_at timestamptz NOT NULL DEFAULT now()
			)`);
		await query(`CREATE INDEX idempotency_keys_created_at_idx ON "${schema}".idempotency_keys (created_at)`);
	}
};
