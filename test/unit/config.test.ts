import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../config";

const SECRET = "x".repeat(32);

describe("config", () => {
	it("when nothing is set then it runs everything in one process on embedded defaults", () => {
		const c = loadConfig({});
		assert.deepEqual(c.services, [
			"gateway",
			"users",
			"groups",
			"posts",
			"contests",
			"problems",
			"judge",
			"rankings",
			"notifications",
			"audit"
		]);
		assert.equal(c.transporter, null);
		assert.equal(c.events.amqpUrl, null);
		assert.equal(c.cacher, null);
		assert.equal(c.http.port, 8080);
		assert.equal(c.database.for("users").kind, "embedded");
		assert.equal(c.auth.usesDevelopmentSecret, true);
	});

	it("when the scrypt cost is below 2^17 in production then loading fails; in tests it may be lower", () => {
		const secret = "x".repeat(32);
		assert.throws(
			() => loadConfig({ NODE_ENV: "production", JWT_SECRET: secret, PASSWORD_HASH_LOG_N: "12" }),
			/PASSWORD_HASH_LOG_N: must be at least 17/
		);
		assert.equal(loadConfig({ NODE_ENV: "test", JWT_SECRET: secret, PASSWORD_HASH_LOG_N: "12" }).auth.passwordHashLogN, 12);
		assert.equal(loadConfig({ NODE_ENV: "production", JWT_SECRET: secret }).auth.passwordHashLogN, 17);
	});

	it("when JWT_SECRET is missing outside development then loading fails with a clear message", () => {
		for (const NODE_ENV of ["production", "test"]) {
			assert.throws(
				() => loadConfig({ NODE_ENV }),
				(err: Error) => {
					assert.ok(err instanceof ConfigError);
					assert.match(err.message, /JWT_SECRET: is required outside development/);
					return true;
				}
			);
		}
	});

	it("when values are malformed then every problem is listed by variable", () => {
		assert.throws(
			() =>
				loadConfig({
					TRANSPORTER: "kafka://x",
					PORT: "http",
					DATABASE_URL: "mysql://db",
					SERVICES: "users,billing",
					JWT_SECRET: "short"
				}),
			(err: Error) => {
				for (const name of ["TRANSPORTER", "PORT", "DATABASE_URL", "SERVICES", "JWT_SECRET"])
					assert.match(err.message, new RegExp(name));
				return true;
			}
		);
	});

	it("when DATABASE_URL is set then each service gets its own database on that server", () => {
		const c = loadConfig({ DATABASE_URL: "postgres://app:pw@db:5432/ignored?sslmode=disable" });
		assert.deepEqual(c.database.for("users"), { kind: "postgres", url: "postgres://app:pw@db:5432/codelearn_users?sslmode=disable" });
	});

	it("when <SERVICE>_DATABASE_URL is set then it overrides that service's database", () => {
		const c = loadConfig({ DATABASE_URL: "postgres://db/x", USERS_DATABASE_URL: "postgres://other/users_db" });
		assert.deepEqual(c.database.for("users"), { kind: "postgres", url: "postgres://other/users_db" });
	});

	it("when SERVICES lists services then the node runs only those, once each", () => {
		const c = loadConfig({
			SERVICES: "users, users,gateway",
			TRANSPORTER: "nats://127.0.0.1:4222",
			EVENTS_AMQP_URL: "amqp://mq:5672",
			JWT_SECRET: SECRET,
			NODE_ENV: "production"
		});
		assert.deepEqual(c.services, ["users", "gateway"]);
		assert.equal(c.transporter, "nats://127.0.0.1:4222");
	});

	it("when the transporter is RabbitMQ then domain events use it; with NATS they need EVENTS_AMQP_URL", () => {
		assert.equal(loadConfig({ TRANSPORTER: "amqp://mq:5672" }).events.amqpUrl, "amqp://mq:5672");
		assert.throws(() => loadConfig({ TRANSPORTER: "nats://nats:4222" }), /EVENTS_AMQP_URL: is required with a NATS transporter/);
	});

	describe("without JWT_SECRET in development", () => {
		const dirs: string[] = [];
		const freshDataDir = () => {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), "codelearn-config-"));
			dirs.push(dir);
			return path.join(dir, "data");
		};
		after(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

		it("when the secret is first needed then a random one is made in DATA_DIR, readable by the owner only", () => {
			const dataDir = freshDataDir();
			const c = loadConfig({ DATA_DIR: dataDir });
			assert.equal(fs.existsSync(dataDir), false, "loading alone writes nothing");
			assert.match(c.auth.jwtSecret, /^[0-9a-f]{64}$/);
			const file = path.join(dataDir, "jwt-secret");
			assert.equal(fs.statSync(file).mode & 0o777, 0o600);
			assert.deepEqual(fs.readdirSync(dataDir), ["jwt-secret"], "no temporary file left behind");
		});

		it("when the node restarts on the same data directory then the same secret is reused", () => {
			const dataDir = freshDataDir();
			const first = loadConfig({ DATA_DIR: dataDir }).auth.jwtSecret;
			assert.equal(loadConfig({ DATA_DIR: dataDir }).auth.jwtSecret, first);
		});

		it("when two data directories are used then their secrets differ: there is no constant secret", () => {
			assert.notEqual(
				loadConfig({ DATA_DIR: freshDataDir() }).auth.jwtSecret,
				loadConfig({ DATA_DIR: freshDataDir() }).auth.jwtSecret
			);
		});

		it("when JWT_SECRET is set then it is used and no file is made", () => {
			const dataDir = freshDataDir();
			const c = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET });
			assert.equal(c.auth.jwtSecret, SECRET);
			assert.equal(c.auth.usesDevelopmentSecret, false);
			assert.equal(fs.existsSync(dataDir), false);
		});

		it("when the kept secret is unusable then a ConfigError names JWT_SECRET and the file", () => {
			const dataDir = freshDataDir();
			fs.mkdirSync(dataDir);
			fs.writeFileSync(path.join(dataDir, "jwt-secret"), "short\n");
			assert.throws(
				() => loadConfig({ DATA_DIR: dataDir }).auth.jwtSecret,
				(err: Error) => {
					assert.ok(err instanceof ConfigError);
					assert.match(err.message, /JWT_SECRET: unset, and the development secret .* is unusable: .*jwt-secret/);
					return true;
				}
			);
		});
	});

	it("when the login slowdown or registration throttle is set then it reaches the auth config; a delay past 5 s is refused", () => {
		const c = loadConfig({
			LOGIN_ACCOUNT_SLOWDOWN_AFTER: "3",
			LOGIN_ACCOUNT_MAX_DELAY_MS: "0",
			REGISTER_MAX_PER_CLIENT: "7",
			REGISTER_WINDOW_S: "60"
		});
		assert.equal(c.auth.loginThrottle.accountSlowdownAfter, 3);
		assert.equal(c.auth.loginThrottle.accountMaxDelayMs, 0);
		assert.deepEqual(c.auth.registrationThrottle, { maxPerClient: 7, windowS: 60 });
		assert.deepEqual(loadConfig({}).auth.registrationThrottle, { maxPerClient: 20, windowS: 3600 });
		assert.throws(() => loadConfig({ LOGIN_ACCOUNT_MAX_DELAY_MS: "6000" }), /LOGIN_ACCOUNT_MAX_DELAY_MS: must be at most 5000/);
	});

	it("when an empty variable is given then it counts as unset", () => {
		assert.equal(loadConfig({ TRANSPORTER: "", CACHER: "" }).transporter, null);
	});
});
