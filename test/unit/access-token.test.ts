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
		const token = new UnsecuredJWT(claims()).setSubject(user.id).setIssuer("codelearn").setAudience("codelearn-api").setExpirationTime("5m").encode();
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
});
