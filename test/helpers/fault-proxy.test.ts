import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server, type Socket, connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { FaultProxy } from "./fault-proxy";

/** Sends `text` and resolves with what comes back within `withinMs`, or null. */
async function echo(socket: Socket, text: string, withinMs = 300): Promise<string | null> {
	const answer = new Promise<string>(resolve => socket.once("data", chunk => resolve(chunk.toString())));
	socket.write(text);
	return Promise.race([answer, delay(withinMs).then(() => null)]);
}

/** Resolves when the socket closes, whether or not with an error (`events.once` rejects on one). */
const closing = (socket: Socket) => new Promise<void>(resolve => socket.on("error", () => {}).once("close", () => resolve()));

async function open(port: number): Promise<Socket> {
	const socket = connect(port, "127.0.0.1");
	socket.on("error", () => {});
	await once(socket, "connect");
	return socket;
}

describe("fault proxy", () => {
	let server: Server;
	let proxy: FaultProxy;

	before(async () => {
		server = createServer(socket => socket.on("error", () => {}).pipe(socket));
		await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
		proxy = await FaultProxy.start((server.address() as { port: number }).port);
	});

	after(async () => {
		await proxy.close();
		await new Promise(resolve => server.close(resolve));
	});

	it("when the link is passing then bytes go both ways, and a URL is pointed at the proxy", async () => {
		const socket = await open(proxy.port);
		assert.equal(await echo(socket, "hello"), "hello");
		socket.destroy();
		assert.equal(proxy.urlFor("redis://user:pw@db.example:6379/2"), `redis://user:pw@127.0.0.1:${proxy.port}/2`);
	});

	it("when the link is cut then open connections close and new ones are refused; restored, it passes again", async () => {
		const socket = await open(proxy.port);
		assert.equal(await echo(socket, "a"), "a");
		const closed = closing(socket);
		proxy.cut();
		await closed;
		try {
			const refused = connect(proxy.port, "127.0.0.1");
			await Promise.race([closing(refused), delay(1000).then(() => assert.fail("a connection while cut stayed open"))]);
		} finally {
			proxy.restore();
		}
		const again = await open(proxy.port);
		assert.equal(await echo(again, "b"), "b");
		again.destroy();
	});

	it("when the link is a black hole then connections stay open but nothing comes back", async () => {
		const socket = await open(proxy.port);
		proxy.blackhole();
		try {
			assert.equal(await echo(socket, "lost"), null);
			assert.ok(!socket.destroyed);
		} finally {
			proxy.restore();
			socket.destroy();
		}
	});

	it("when the link is slowed then each way waits the delay", async () => {
		const socket = await open(proxy.port);
		proxy.delay(150);
		try {
			const started = performance.now();
			assert.equal(await echo(socket, "slow", 2000), "slow");
			assert.ok(performance.now() - started >= 290, "150 ms there and 150 ms back");
		} finally {
			proxy.restore();
			socket.destroy();
		}
	});
});
