import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { dictionary } from "@zxcvbn-ts/language-common";

/** OWASP's scrypt floor is N=2^17 (r=8, p=1): 128 MiB of memory per hash, so allow it explicitly. */
export const DEFAULT_LOG_N = 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 256 * 1024 * 1024;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

let derivations = 0;

/** scrypt runs in this process so far: lets tests prove that a path never reached the hash. */
export function derivationCount(): number {
	return derivations;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
	derivations++;
	const options: ScryptOptions = { ...params, maxmem: MAX_MEMORY };
	return new Promise((resolve, reject) =>
		scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
	);
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string, logN = DEFAULT_LOG_N): Promise<string> {
	const salt = randomBytes(16);
	const N = 2 ** logN;
	const key = await derive(password, salt, { N, r: R, p: P });
	return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [scheme, N, r, p, salt, hash] = stored.split("$");
	if (scheme !== "scrypt" || !salt || !hash) return false;
	const expected = Buffer.from(hash, "base64url");
	const actual = await derive(password, Buffer.from(salt, "base64url"), { N: Number(N), r: Number(r), p: Number(p) });
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const decoys = new Map<number, Promise<string>>();

/** A hash of a random password at this cost, verified against when a login names nobody, to take equal time. */
export function decoyHash(logN: number): Promise<string> {
	if (!decoys.has(logN)) decoys.set(logN, hashPassword(randomBytes(16).toString("hex"), logN));
	return decoys.get(logN)!;
}

/** zxcvbn-ts's list of leaked common passwords, those long enough to pass the length rule. */
const COMMON = new Set((dictionary["passwords-common"] as string[]).filter(p => p.length >= PASSWORD_MIN).map(p => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
	return COMMON.has(password.toLowerCase());
}
