import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { consumersOf, topicMatches } from "../../lib/events/topology";

describe("event routing by topic patterns", () => {
	it("when a pattern has words, * or # then it matches as RabbitMQ's topic exchange does", () => {
		const cases: [string, string, boolean][] = [
			["user.created", "user.created", true],
			["user.created", "user.deleted", false],
			["user.*", "user.deleted", true],
			["user.*", "group.member.joined", false],
			["group.*", "group.member.joined", false],
			["group.*.*", "group.member.joined", true],
			["group.#", "group.member.joined", true],
			["group.#", "group", true],
			["#", "contest.ended", true],
			["#.joined", "group.member.joined", true],
			["*.ended", "contest.ended", true],
			["*.ended", "ended", false]
		];
		for (const [pattern, key, expected] of cases) assert.equal(topicMatches(pattern, key), expected, `${pattern} ~ ${key}`);
	});

	it("when an event type is routed then it goes to every consumer with a matching pattern, and only to them", () => {
		const topology = { audit: ["#"], posts: ["user.deleted", "group.*"], rankings: ["contest.ended"] };
		assert.deepEqual(consumersOf(topology, "user.deleted"), ["audit", "posts"]);
		assert.deepEqual(consumersOf(topology, "contest.ended"), ["audit", "rankings"]);
		assert.deepEqual(consumersOf(topology, "post.created"), ["audit"]);
	});
});
