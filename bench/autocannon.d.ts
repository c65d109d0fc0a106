/** The part of autocannon 9's programmatic API the bench uses (the package ships no typings). */
declare module "autocannon" {
	import type { EventEmitter } from "node:events";

	namespace autocannon {
		interface RequestParams {
			method?: string;
			path?: string;
			headers?: Record<string, string>;
			body?: string;
		}

		/** One entry of `requests`: each connection cycles through them. */
		interface RequestSpec extends RequestParams {
			/** Called before each send of this request; returns the request to send. */
			setupRequest?: (req: RequestParams & Record<string, unknown>, context: Record<string, unknown>) => RequestParams;
		}

		interface Options {
			url: string;
			method?: string;
			headers?: Record<string, string>;
			body?: string;
			connections?: number;
			/** Seconds. */
			duration?: number;
			/** Seconds before a request counts as timed out. */
			timeout?: number;
			pipelining?: number;
			requests?: RequestSpec[];
		}

		interface Histogram {
			average: number;
			mean: number;
			stddev: number;
			min: number;
			max: number;
			total: number;
			p50: number;
			p90: number;
			p99: number;
			[percentile: string]: number;
		}

		interface Result {
			/** Seconds, measured. */
			duration: number;
			errors: number;
			timeouts: number;
			non2xx: number;
			resets: number;
			"2xx": number;
			"4xx": number;
			"5xx": number;
			statusCodeStats: Record<string, { count: number }>;
			/** Milliseconds. */
			latency: Histogram;
			/** Per-second samples; `total` completed, `sent` started. */
			requests: Histogram & { sent: number };
		}

		interface Instance extends EventEmitter, PromiseLike<Result> {
			stop(): void;
		}
	}

	function autocannon(options: autocannon.Options): autocannon.Instance;
	export = autocannon;
}
