import type { IncomingMessage } from "node:http";
import { isIPv4, isIPv6 } from "node:net";
import proxyaddr from "proxy-addr";

/**
 * The client's key for rate limits, login and registration throttling: the socket's peer,
 * unless that peer is a configured trusted proxy, in which case the forwarded chain is walked
 * back only through trusted hops. A client cannot pick its own identity (and reset its rate
 * limit) by sending `X-Forwarded-For`, nor by hopping addresses inside its IPv6 /64.
 */
export function clientAddressResolver(trustedProxies: string[]): (req: IncomingMessage) => string {
	const trust = proxyaddr.compile(trustedProxies);
	return req => clientKey(proxyaddr(req, trust));
}

/**
 * IPv4 (also when IPv4-mapped, `::ffff:a.b.c.d`) as the address; IPv6 as its /64 prefix
 * (`2001:db8:0:1::/64`), since one subscriber usually holds a whole /64 and could otherwise be
 * endless clients. Anything else is returned as it is.
 */
export function clientKey(address: string): string {
	if (isIPv4(address)) return address;
	const hextets = ipv6Hextets(address);
	if (!hextets) return address;
	const isMapped = hextets.slice(0, 5).every(h => h === 0) && hextets[5] === 0xffff;
	if (isMapped) return [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff].join(".");
	return `${hextets
		.slice(0, 4)
		.map(h => h.toString(16))
		.join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (zone dropped, `::` and a dotted tail expanded). */
function ipv6Hextets(address: string): number[] | null {
	const bare = address.split("%")[0];
	if (!isIPv6(bare)) return null;
	let text = bare.toLowerCase();
	const dotted = text.lastIndexOf(".") >= 0 ? text.slice(text.lastIndexOf(":") + 1) : "";
	if (dotted) {
		const [a, b, c, d] = dotted.split(".").map(Number);
		text = `${text.slice(0, text.length - dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
	const left = head ? head.split(":") : [];
	const right = tail ? tail.split(":") : [];
	const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
	return [...left, ...zeros, ...right].map(h => parseInt(h, 16));
}
