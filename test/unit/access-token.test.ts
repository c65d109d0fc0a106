import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { accessTokenKeys, signAccessToken, verifyAccessToken } from "../../lib/access-token";

const keys = accessTokenKeys("k".repeat(40), 900);
const user = { id: "5b3f0d1e-7c53-4f0c-9d1b-5a3c2e1f0a9b", role: "user" as const, sessionId: "0c8e2b71-4a43-4b8f-8e2f-3f6a9c7d1e20" };

function claims() {
	return { sid: user.sessionId, role: "admin", typ: "access" };
}

describe("access tokens", () => {
	it("when signed by us then they verify to the same user", async () => {
		const result = await verifyAccessToken(keys, await signAccessToken(keys, user));
		assert.deepEqual(result, { ok: true, user });
	});

	it("when the algorithm is none then they are refused", async () => {
		const token = new UnsecuredJWT(claims())
			.setSubject(user.id)
			.setIssuer("codelearn")
			.setAudience("codelearn-api")
			.setExpirationTime("5m")
			.encode();
		assert.deepEqual(await verifyAccessToken(keys, token), { ok: false, reason: "invalid" });
	});

	it("when the payload is tampered with then the signature fails", async () => {
		const [header, , signature] = (await signAccessToken(keys, user)).split(".");
		const forged = Buffer.from(JSON.stringify({ ...claims(), sub: user.id, exp: 9e9, nbf: 0 })).toString("base64url");
		assert.deepEqual(await verifyAccessToken(keys, `${header}.${forged}.${signature}`), { ok: false, reason: "invalid" });
	});

	it("when signed with another key then they are refused", async () => {
		const other = accessTokenKeys("z".repeat(40), 900);
		assert.deepEqual(await verifyAccessToken(keys, await signAccessToken(other, user)), { ok: false, reason: "invalid" });
	});

	it("when expired then the reason says so", async () => {
		const token = await new SignJWT(claims())
			.setProtectedHeader({ alg: "HS256" })
			.setSubject(user.id)
			.setIssuer("codelearn")
			.setAudience("codelearn-api")
			.setNotBefore("0s")
			.setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
			.setExpirationTime(Math.floor(Date.now() / 1000) - 60)
			.sign(keys.secret);
		assert.deepEqual(await verifyAccessToken(keys, token), { ok: false, reason: "expired" });
	});

	it("when not yet valid (nbf in the future) then they are refused", async () => {
		const token = await new SignJWT(claims())
			.setProtectedHeader({ alg: "HS256" })
			.setSubject(user.id)
			.setIssuer("codelearn")
			.setAudience("codelearn-api")
			.setNotBefore("10m")
			.setExpirationTime("20m")
			.sign(keys.secret);
		assert.equal((await verifyAccessToken(keys, token)).ok, false);
	});

	it("when the token is not a JWT (e.g. a refresh token) then it is refused", async () => {
		assert.deepEqual(await verifyAccessToken(keys, "pGq3sX0R3bq3kT7y9b8dXbYwW6n1o2p3q4r5s6t7u8v"), { ok: false, reason: "invalid" });
	});

	it("when a token signed by us names a session or user that is not a UUID then it is refused", async () => {
		assert.deepEqual(
			await verifyAccessToken(keys, await signAccessToken(keys, { ...user, sessionId: "x'; DROP TABLE sessions; --" })),
			{ ok: false, reason: "invalid" }
		);
		assert.deepEqual(await verifyAccessToken(keys, await signAccessToken(keys, { ...user, id: "not-a-uuid" })), {
			ok: false,
			reason: "invalid"
		});
	});

	it("when a token is longer than 2,048 characters then it is refused, even signed by us", async () => {
		const token = await signAccessToken(keys, { ...user, role: "x".repeat(3000) as typeof user.role });
		assert.ok(token.length > 2048);
		assert.deepEqual(await verifyAccessToken(keys, token), { ok: false, reason: "invalid" });
	});
});

describe("stream tickets", () => {
	it("when a stream ticket is signed then it verifies with an id of its own and the time it stops working", async () => {
		const [first, second] = await Promise.all([signAccessToken(keys, user, "stream"), signAccessToken(keys, user, "stream")]);
		const [a, b] = await Promise.all([verifyAccessToken(keys, first, "stream"), verifyAccessToken(keys, second, "stream")]);
		assert.ok(a.ok && b.ok);
		assert.deepEqual(a.user, user);
		assert.match(a.ticket!.id, /^[0-9a-f-]{36}$/);
		assert.notEqual(a.ticket!.id, b.ticket!.id);
		const inS = (a.ticket!.validUntilMs - Date.now()) / 1000;
		assert.ok(inS > 60 && inS <= 66, `valid for ${inS} s`);
	});

	it("when a stream ticket has no id then it is refused", async () => {
		const token = await new SignJWT({ sid: user.sessionId, role: "user", typ: "stream" })
			.setProtectedHeader({ alg: "HS256" })
			.setSubject(user.id)
			.setIssuer("codelearn")
			.setAudience("codelearn-api")
			.setNotBefore("0s")
			.setExpirationTime("1m")
			.sign(keys.secret);
		assert.deepEqual(await verifyAccessToken(keys, token, "stream"), { ok: false, reason: "invalid" });
	});

	it("when a stream ticket is offered as an access token, or the reverse, then it is refused", async () => {
		assert.deepEqual(await verifyAccessToken(keys, await signAccessToken(keys, user, "stream")), { ok: false, reason: "invalid" });
		assert.deepEqual(await verifyAccessToken(keys, await signAccessToken(keys, user), "stream"), { ok: false, reason: "invalid" });
	});
});
