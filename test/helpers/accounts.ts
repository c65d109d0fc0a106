import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { type Api, newUser } from "./http";

/** A registered user: what the tests need to act as them. */
export interface TestUser {
	id: string;
	username: string;
	password: string;
	token: string;
}

/** How many registrations go at once: tests hash at 2^12 (TEST_ENV), so a handful is cheap. */
const AT_ONCE = 6;

export async function register(api: Api, prefix = "user"): Promise<TestUser> {
	const body = newUser(prefix);
	const res = await api("POST", "/api/auth/register", { body });
	assert.equal(res.status, 201, JSON.stringify(res.body));
	return { id: res.body.user.id, username: body.username, password: body.password, token: res.body.accessToken };
}

export async function registerMany(api: Api, count: number, prefix = "user"): Promise<TestUser[]> {
	const users: TestUser[] = [];
	while (users.length < count) {
		const batch = Math.min(AT_ONCE, count - users.length);
		users.push(...(await Promise.all(Array.from({ length: batch }, () => register(api, prefix)))));
	}
	return users;
}

/** An administrator of the platform, logged in. */
export async function registerAdmin(api: Api, broker: ServiceBroker): Promise<TestUser> {
	const body = newUser("admin");
	await broker.call("users.createAdmin", body);
	const res = await api("POST", "/api/auth/login", { body: { login: body.username, password: body.password } });
	assert.equal(res.status, 200, JSON.stringify(res.body));
	assert.equal(res.body.user.role, "admin");
	return { id: res.body.user.id, username: body.username, password: body.password, token: res.body.accessToken };
}
