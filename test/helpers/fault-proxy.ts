import { createServer, type Server, type Socket, connect } from "node:net";

type Mode = "pass" | "cut" | "blackhole";

/**
 * A loopback TCP proxy in front of a real server, for outage tests on a machine whose servers
 * other tests share: the nodes under test talk to the proxy, and the test cuts, silences or slows
 * the link instead of stopping the server. Written here because the maintained tools (Toxiproxy)
 * need a server of their own; this is some sixty lines with its own tests (fault-proxy.test.ts).
 */
export class FaultProxy {
	private mode: Mode = "pass";
	private delayMs = 0;
	private readonly pairs = new Set<[Socket, Socket]>();

	private constructor(
		private readonly server: Server,
		readonly port: number
	) {}

	/** A proxy on a free loopback port that forwards to `targetPort` on `targetHost`. */
	static async start(targetPort: number, targetHost = "127.0.0.1"): Promise<FaultProxy> {
		const server = createServer();
		await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
		const proxy = new FaultProxy(server, (server.address() as { port: number }).port);
		server.on("connection", client => proxy.accept(client, targetPort, targetHost));
		return proxy;
	}

	/** `url` with its host and port replaced by the proxy's. */
	urlFor(url: string): string {
		const proxied = new URL(url);
		proxied.hostname = "127.0.0.1";
		proxied.port = String(this.port);
		return proxied.toString();
	}

	/** The server is gone: every connection is reset, and new ones are refused until `restore`. */
	cut(): void {
		this.mode = "cut";
		for (const [client, upstream] of this.pairs) {
			client.resetAndDestroy();
			upstream.destroy();
		}
		this.pairs.clear();
	}

	/**
	 * The network is silent: connections stay open (and new ones open) but nothing goes through.
	 * Bytes sent meanwhile are lost, which TCP never does: end it with `cut`, as a real partition
	 * ends in reset connections, before `restore`.
	 */
	blackhole(): void {
		this.mode = "blackhole";
	}

	/** Every chunk waits this long before it is forwarded. */
	delay(ms: number): void {
		this.delayMs = ms;
	}

	restore(): void {
		this.mode = "pass";
		this.delayMs = 0;
	}

	get connections(): number {
		return this.pairs.size;
	}

	async close(): Promise<void> {
		this.cut();
		await new Promise<void>(resolve => this.server.close(() => resolve()));
	}

	private accept(client: Socket, targetPort: number, targetHost: string) {
		if (this.mode === "cut") return void client.resetAndDestroy();
		const upstream = connect(targetPort, targetHost);
		const pair: [Socket, Socket] = [client, upstream];
		this.pairs.add(pair);
		const forward = (from: Socket, to: Socket) =>
			from.on("data", chunk => {
				if (this.mode !== "pass") return;
				if (this.delayMs) setTimeout(() => to.write(chunk), this.delayMs);
				else to.write(chunk);
			});
		forward(client, upstream);
		forward(upstream, client);
		const end = () => {
			this.pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};
		for (const socket of pair) socket.on("error", end).on("close", end);
	}
}
