import net from "node:net";

/**
 * Fails with a clear message when a port this node must bind is taken. Moleculer's Prometheus
 * reporter would otherwise crash the process with an unhandled EADDRINUSE after start.
 */
export async function assertPortFree(port: number, host: string, what: string, variable: string): Promise<void> {
	if (port === 0) return;
	await new Promise<void>((resolve, reject) => {
		const probe = net.createServer();
		probe.once("error", (err: NodeJS.ErrnoException) =>
			reject(
				new Error(
					err.code === "EADDRINUSE"
						? `${what} port ${port} on ${host} is already in use (another node on this host?); set ${variable} to a free port, or 0 for any`
						: `${what} cannot listen on ${host}:${port}: ${err.message}`
				)
			)
		);
		probe.listen(port, host, () => probe.close(() => resolve()));
	});
}
