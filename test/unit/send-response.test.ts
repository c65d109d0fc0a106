import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { sendBody, sendJson } from "../../lib/send-response";

describe("whole answers", () => {
	let server: http.Server;
	let origin: string;

	before(async () => {
		server = http.createServer((req, res) => {
			if (req.url === "/json") sendJson(res, 201, { name: "Zoë" }, { "X-Extra": "1" });
			else sendBody(res, 200, { "Content-Type": "text/plain", "Content-Length": "1" }, Buffer.from("héllo"));
		});
		await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	after(() => new Promise<void>(resolve => server.close(() => resolve())));

	it("when JSON is sent then it goes with its length in bytes, not chunked, uncached, with the extra headers", async () => {
		const res = await fetch(`${origin}/json`);
		assert.equal(res.status, 201);
		assert.equal(res.headers.get("content-length"), String(Buffer.byteLength('{"name":"Zoë"}')));
		assert.equal(res.headers.get("transfer-encoding"), null);
		assert.equal(res.headers.get("cache-control"), "no-store");
		assert.equal(res.headers.get("x-extra"), "1");
		assert.deepEqual(await res.json(), { name: "Zoë" });
	});

	it("when a body is sent with a wrong length among its headers then the real length wins", async () => {
		const res = await fetch(`${origin}/text`);
		assert.equal(res.headers.get("content-length"), "6");
		assert.equal(await res.text(), "héllo");
	});
});
