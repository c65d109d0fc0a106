import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { clientAddressResolver, clientKey } from "../../services/gateway/client-address";

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
	return { socket: { remoteAddress }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} } as unknown as IncomingMessage;
}

describe("client address", () => {
	it("when the client speaks IPv4 then its address is the key", () => {
		assert.equal(clientKey("203.0.113.7"), "203.0.113.7");
		assert.equal(clientKey("127.0.0.1"), "127.0.0.1");
	});

	it("when the address is IPv4-mapped IPv6 then the key is the IPv4 address", () => {
		assert.equal(clientKey("::ffff:203.0.113.7"), "203.0.113.7");
		assert.equal(clientKey("::FFFF:cb00:7107"), "203.0.113.7");
		assert.equal(clientKey("0:0:0:0:0:ffff:203.0.113.7"), "203.0.113.7");
	});

	it("when two IPv6 addresses share a /64 then they share one key; another /64 is another key", () => {
		const a = clientKey("2001:db8:1:2::a");
		assert.equal(a, "2001:db8:1:2::/64");
		assert.equal(clientKey("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff"), a);
		assert.equal(clientKey("2001:db8:1:2:0:0:0:1%eth0"), a);
		assert.equal(clientKey("2001:db8:1:2::203.0.113.7"), a);
		assert.notEqual(clientKey("2001:db8:1:3::a"), a);
		assert.equal(clientKey("2001:db8::1"), "2001:db8:0:0::/64");
		assert.equal(clientKey("::1"), "0:0:0:0::/64");
		assert.equal(clientKey("fe80::1"), "fe80:0:0:0::/64");
	});

	it("when the address is not an IP then it is kept as it is", () => {
		assert.equal(clientKey("unknown"), "unknown");
		assert.equal(clientKey(""), "");
	});

	it("when no proxy is trusted then X-Forwarded-For is ignored and the socket's /64 is the key", () => {
		const resolve = clientAddressResolver([]);
		assert.equal(resolve(request("2001:db8:aa:bb::1", "198.51.100.1")), "2001:db8:aa:bb::/64");
		assert.equal(resolve(request("::ffff:192.0.2.9", "198.51.100.1")), "192.0.2.9");
	});

	it("when the peer is a trusted proxy then the forwarded client is the key, grouped by /64", () => {
		const resolve = clientAddressResolver(["loopback"]);
		assert.equal(resolve(request("127.0.0.1", "2001:db8:aa:bb::1")), "2001:db8:aa:bb::/64");
		assert.equal(resolve(request("127.0.0.1", "2001:db8:aa:bb::2")), "2001:db8:aa:bb::/64");
		assert.equal(resolve(request("127.0.0.1", "198.51.100.1")), "198.51.100.1");
	});
});
