import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Platform, startPlatform } from "../helpers/platform";

describe("CORS by allow-list", () => {
	let platform: Platform;

	before(async () => {
		platform = await startPlatform({ SERVICES: "gateway", CORS_ORIGINS: "https://app.code-learn.example" });
	});

	after(() => platform?.stop());

	async function preflight(origin: string) {
		return fetch(`${platform.baseUrl}/api/auth/login`, {
			method: "OPTIONS",
			headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" }
		});
	}

	it("when an allowed origin asks then it may call, and sees the request id", async () => {
		const res = await preflight("https://app.code-learn.example");
		assert.equal(res.headers.get("access-control-allow-origin"), "https://app.code-learn.example");
		assert.match(res.headers.get("access-control-expose-headers") ?? "", /X-Request-ID/);
	});

	it("when another origin asks then the browser gets no permission", async () => {
		const res = await preflight("https://evil.example");
		assert.equal(res.headers.get("access-control-allow-origin"), null);
	});
});
