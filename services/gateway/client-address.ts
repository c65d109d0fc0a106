import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";

/**
 * The client's address: the socket's peer, unless that peer is a configured trusted proxy, in
 * which case the forwarded chain is walked back only through trusted hops. A client cannot pick
 * its own identity (and reset its rate limit) by sending `X-Forwarded-For`.
 */
export function clientAddressResolver(trustedProxies: string[]): (req: IncomingMessage) => string {
	const trust = proxyaddr.compile(trustedProxies);
	return req => proxyaddr(req, trust);
}
