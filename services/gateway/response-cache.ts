import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { SharedResponse } from "../../lib/http-cache";

/** An answer as the gateway keeps it: the bytes, ready to write. */
export interface CachedResponse {
	body: Buffer;
	etag: string;
	tags: string[];
	countServedAs?: SharedResponse["countServedAs"];
}

function etagOf(body: Buffer): string {
	return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/**
 * The gateway's copies of shared answers (lib/http-cache.ts) by URL, within `maxBytes`, least
 * recently used out first, dropped by tag. A copy is the serialised bytes: a hit costs no
 * JSON.stringify and no UTF-8 encoding, which were half of a cached post read's CPU.
 */
export class ResponseCache {
	private readonly copies: LRUCache<string, CachedResponse>;
	private readonly urlsByTag = new Map<string, Set<string>>();
	/**
	 * Purges so far. An answer computed while one ran may predate it: it is sent but not kept,
	 * or it would outlive the purge (the cache-cleaner mixin guards the cacher the same way).
	 */
	private purges = 0;

	constructor(maxBytes: number) {
		this.copies = new LRUCache<string, CachedResponse>({
			maxSize: maxBytes,
			sizeCalculation: (copy, url) => copy.body.length + url.length,
			dispose: (copy, url) => this.unindex(url, copy.tags)
		});
	}

	/** Read when a request starts, handed back to `keep` with its answer. */
	get generation(): number {
		return this.purges;
	}

	get(url: string): CachedResponse | undefined {
		return this.copies.get(url);
	}

	/** The answer's bytes and ETag, kept for later readers unless a purge ran since `generation`. */
	keep(url: string, data: unknown, shared: SharedResponse, generation: number): CachedResponse {
		const body = Buffer.from(JSON.stringify(data));
		const copy: CachedResponse = { body, etag: etagOf(body), tags: shared.tags, countServedAs: shared.countServedAs };
		if (generation === this.purges) {
			this.copies.set(url, copy, { ttl: shared.ttlS * 1000 });
			if (this.copies.has(url)) for (const tag of copy.tags) this.urlsOf(tag).add(url);
		}
		return copy;
	}

	purge(tags: string[]): void {
		this.purges++;
		for (const tag of tags) for (const url of [...(this.urlsByTag.get(tag) ?? [])]) this.copies.delete(url);
	}

	clear(): void {
		this.copies.clear();
	}

	private urlsOf(tag: string): Set<string> {
		let urls = this.urlsByTag.get(tag);
		if (!urls) this.urlsByTag.set(tag, (urls = new Set()));
		return urls;
	}

	private unindex(url: string, tags: string[]) {
		for (const tag of tags) {
			const urls = this.urlsByTag.get(tag);
			urls?.delete(url);
			if (urls?.size === 0) this.urlsByTag.delete(tag);
		}
	}
}
