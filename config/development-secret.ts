import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const DEVELOPMENT_SECRET_FILE = "jwt-secret";

/**
 * The development JWT secret: random, made once per data directory and kept there (mode 0600),
 * so tokens and contest answers survive a restart and no secret is written in the code. Written
 * to a private temporary file and linked into place: two processes starting together on one
 * directory both end up with the first one's secret, never a half-written file.
 */
export function developmentSecret(dataDir: string): string {
	const file = path.join(dataDir, DEVELOPMENT_SECRET_FILE);
	const existing = readSecret(file);
	if (existing !== undefined) return existing;
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
	fs.writeFileSync(temporary, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
	try {
		fs.linkSync(temporary, file);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
	} finally {
		fs.unlinkSync(temporary);
	}
	return readSecret(file)!;
}

function readSecret(file: string): string | undefined {
	let text: string;
	try {
		text = fs.readFileSync(file, "utf8");
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
		throw err;
	}
	const secret = text.trim();
	if (secret.length < 32) throw new Error(`${file} holds no usable secret (at least 32 characters); delete it to have a new one made`);
	return secret;
}
