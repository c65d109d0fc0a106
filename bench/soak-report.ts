/** The soak scenario's part of the report: the invariants, the requests by kind, the failed unkeyed writes, the latency around each kill. */
import type { SoakKindStats, SoakResult, SoakWindow } from "./soak-types";

const ms = (n: number | null | undefined) => (n === null || n === undefined ? "n/a" : n >= 100 ? String(Math.round(n)) : n.toFixed(1));
const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(2)} %` : "n/a");
const statuses = (byStatus: Record<string, number>) =>
	Object.keys(byStatus).length
		? Object.entries(byStatus)
				.map(([status, n]) => `${status === "0" ? "no answer" : status} × ${n}`)
				.join(", ")
		: "—";

function table(header: string[], body: string[][]): string[] {
	const widths = header.map((h, i) => Math.max(h.length, ...body.map(r => r[i].length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
			.join("  ")
			.trimEnd();
	return [line(header), widths.map(w => "-".repeat(w)).join("  "), ...body.map(line)];
}

const windowLine = (w: SoakWindow) =>
	`${w.requests} requests, ${w.failed} failed (${pct(w.failed, w.requests)}), p50 ${ms(w.p50Ms)} ms, p99 ${ms(w.p99Ms)} ms, max ${ms(w.maxMs)} ms`;

function kindRow(k: SoakKindStats): string[] {
	const failed = k.sent - k.ok;
	return [
		k.kind,
		String(k.sent),
		`${failed} (${pct(failed, k.sent)})`,
		ms(k.p50Ms),
		ms(k.p99Ms),
		k.retried === undefined
			? "—"
			: `${k.retried} retried, ${k.eventuallyOk}/${k.sent} ok` +
				(k.retriedToSuccessP99Ms == null ? "" : `, p99 ${ms(k.retriedToSuccessP99Ms)} ms to success`),
		statuses(k.failedByStatus)
	];
}

function header(s: SoakResult): string[] {
	const kills = `${s.kills.length} kill${s.kills.length === 1 ? "" : "s"}`;
	const cpu = `machine ${s.machineCpuCores?.toFixed(2) ?? "n/a"} cores, runner ${s.runnerCpuCores.toFixed(2)} during the load`;
	return [
		`Soak: ${s.groups.map(g => `${g.services} × ${g.nodes}${g.killable ? "" : " (never killed)"}`).join(", ")} over AMQP, Redis cacher;`,
		`${s.rate} req/s for ${s.minutes} min (seed ${s.seed}), a kill -9 every ${s.killEveryS} s: ${kills}; started in ${s.startS} s; ${cpu};`,
		s.deadNodeWatch
			? "RabbitMQ's event exchange on: a killed node is dropped by every node at once (lib/dead-node-watch.ts)."
			: "RabbitMQ's event exchange plugin off here: a killed node is dropped at the heartbeat timeout (2.5 s), not at once."
	];
}

function invariants(s: SoakResult): string[] {
	const v = s.verification;
	const consumers = Object.entries(v.events.byConsumer).filter(([, e]) => e.expected > 0);
	const expected = consumers.reduce((sum, [, e]) => sum + e.expected, 0);
	const perConsumer = consumers.map(([c, e]) => `${c} ${e.delivered}/${e.expected}`).join(", ");
	const pending = consumers.reduce((sum, [, e]) => sum + e.pendingRetries, 0);
	const sub = v.keyedSubmissions;
	return [
		`Invariants: ${s.held ? "all held" : "NOT all held"}`,
		`  lost events: ${v.lostEvents} of ${expected} deliveries (${perConsumer}); ${v.events.produced} events produced, ` +
			`${v.events.unsent} unpublished at the end; audit trail rows ${v.events.auditRows}`,
		`  doubled effects: ${v.doubledEffects} (keyed posts stored twice ${v.keyedPosts.doubled}, submissions twice ${sub.doubled}, ` +
			`unkeyed posts twice ${v.unkeyedPosts.doubled}, post.created twice ${v.postCreatedTwice})`,
		`  dead letters: ${v.deadLetters}; retries pending at the end: ${pending}`,
		`  keyed writes never successful: ${v.keyedNeverSucceeded}; keyed posts answered 2xx ${v.keyedPosts.succeeded}, ` +
			`stored ${v.keyedPosts.stored}, missing ${v.keyedPosts.missing}`,
		...(s.submissionsSkipped
			? [`  no submissions: ${s.submissionsSkipped}`]
			: [
					`  submissions answered 202 ${sub.succeeded}, stored ${sub.stored}, missing ${sub.missing}, unjudged ${sub.unjudged}, ` +
						`verdicts ${JSON.stringify(sub.verdicts)}`
				]),
		`  ${v.drained ? "drained" : "NOT drained"} ${v.drainS} s after the load; ` +
			(s.crashed.length ? `nodes that exited unkilled: ${s.crashed.join("; ")}` : "no node exited unkilled")
	];
}

function unkeyedFailures(s: SoakResult): string {
	const profile = s.kinds.find(k => k.kind === "profile-update-unkeyed");
	const posts = s.verification.unkeyedPosts;
	const profiles = profile ? `${profile.sent - profile.ok} of ${profile.sent} (${pct(profile.sent - profile.ok, profile.sent)})` : "n/a";
	return (
		`Failed unkeyed writes: profile updates ${profiles}; post creations ${posts.failed} of ${posts.sent} ` +
		`(${pct(posts.failed, posts.sent)}), ${posts.failedButStored} of them stored anyway (a client without a key cannot tell).`
	);
}

function latency(s: SoakResult): string[] {
	return [
		`Latency, first attempts of every kind: overall ${windowLine(s.overall)}`,
		`  between kills: ${windowLine(s.betweenKills)}`,
		`  around each kill (due from ${s.windowS.before} s before to ${s.windowS.after} s after):`,
		...s.kills.map(
			k =>
				`  +${k.atS.toFixed(1)} s ${k.node} (pid ${k.pid})${k.lateS > 0.5 ? `, ${k.lateS} s late (its replica was not back)` : ""}, ` +
				`${k.restartReadyS === null ? "NOT back" : `back in ${k.restartReadyS} s`}: ${windowLine(k.window)}` +
				(k.window.failed ? ` ${JSON.stringify(k.window.failedByKind)}` : "")
		)
	];
}

export function renderSoak(s: SoakResult): string[] {
	return [
		...header(s),
		"",
		...invariants(s),
		"",
		...table(
			["Kind", "sent", "failed (1st attempt)", "p50 ms", "p99 ms", "keyed: retries", "failures by status"],
			s.kinds.map(kindRow)
		),
		"",
		unkeyedFailures(s),
		"",
		...latency(s),
		"",
		"A kill's window holds the requests due in it; latency runs from the due time (open loop: no coordinated omission), errors",
		"included. Lost: an event in a producer's outbox (users, posts, problems) missing from a subscribed consumer's processed_events.",
		"Doubled: a marker (title, source comment) stored twice. Keyed writes failing are sent again with the same key by the load."
	];
}
