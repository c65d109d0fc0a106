/**
 * The import layering, checked by `npm run lint` (dependency-cruiser). From the bottom up:
 *
 *   lib/                     pure helpers: the embedded database, events, tokens, errors, ...
 *   config/                  the validated configuration
 *   mixins/, middlewares/    what services are built from
 *   services/                the services (each folder imports its own files and others' contracts)
 *   moleculer.config.ts      broker options
 *   broker/                  the broker assembled from config and services, the operators' REPL
 *   server.ts, scripts/      runnable entry points (scripts/seed/ holds seeders they and the bench share)
 *   bench/, test/            measure and check all of the above
 *
 * A layer imports only from below it. Type-only imports count: a circle of `import type` is a
 * circle for the reader all the same.
 */

/** Production source: what the image ships and the nodes run. */
const PRODUCTION = "^(lib|config|mixins|middlewares|services|broker)/|^(server|moleculer\\.config)\\.ts$";

/* global module */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: "no-circular",
			comment:
				"No import circles, anywhere (tests and bench included): a circle has no bottom to read from, and it hides which " +
				"file is the interface. Shape types go in their own file (services/<name>/<name>.internals.ts); a pluggable part " +
				"is a folder family (interface, implementations, an index holding the factory), as services/contests/leaderboard/.",
			severity: "error",
			from: {},
			to: { circular: true }
		},
		{
			name: "lib-is-the-floor",
			comment:
				"lib/ imports nothing above it: it is what everything else is built from, so it must not know config, mixins, " +
				"middlewares, services, the broker's assembly, the entry points, the bench or the tests. Code that needs those " +
				"belongs above (broker/ assembles the broker and the REPL).",
			severity: "error",
			from: { path: "^lib/" },
			to: {
				path: "^(config|mixins|middlewares|services|broker|scripts|bench|test)/|^(server|moleculer\\.config)\\.ts$"
			}
		},
		{
			name: "services-meet-through-contracts",
			comment:
				"A service imports another service's contract (services/<other>/<other>.contract.ts) and nothing else of it: " +
				"its models, stores and errors are its own to change. What all share is in lib/ or in services/*.ts.",
			severity: "error",
			from: { path: "^services/([^/]+)/" },
			to: { path: "^services/[^/]+/", pathNot: ["^services/$1/", "\\.contract\\.ts$"] }
		},
		{
			name: "parts-do-not-know-services",
			comment:
				"mixins/ and middlewares/ are the parts services are built from: they take what they need as options and never " +
				"import a service's files (nor the broker's assembly, which imports the services).",
			severity: "error",
			from: { path: "^(mixins|middlewares)/" },
			to: { path: "^(services|broker)/|^(server|moleculer\\.config)\\.ts$" }
		},
		{
			name: "nothing-below-imports-the-broker",
			comment:
				"broker/ assembles config, services and options into a broker: only the entry points (server.ts, scripts/) " +
				"and the tests import it. Anything below importing it would circle back through the service registry.",
			severity: "error",
			from: { path: "^(lib|config|mixins|middlewares|services)/" },
			to: { path: "^broker/" }
		},
		{
			name: "production-does-not-import-tools",
			comment:
				"Production source never imports the bench or the scripts: they are tools run beside the platform, not shipped " +
				"parts of it (the image copies scripts/ for the operators, never as a library of the nodes).",
			severity: "error",
			from: { path: PRODUCTION },
			to: { path: "^(bench|scripts)/" }
		},
		{
			name: "only-tests-import-tests",
			comment:
				"Nothing imports test/ except test/: the tests check the platform, they are not part of it, and the bench and " +
				"the scripts would otherwise run test fixtures. What several of them need (seeders) lives in scripts/seed/.",
			severity: "error",
			from: { pathNot: "^test/" },
			to: { path: "^test/" }
		},
		{
			name: "runnable-files-are-not-imported",
			comment:
				"An entry file runs when loaded: importing one as a library runs (or half-runs) a program. Entry points are " +
				"server.ts, scripts/*.ts (their shared code is in scripts/seed/), bench/run.ts and the bench's spawned " +
				"baseline-server.ts and stock-gateway.ts, and the workers pacer-loop.ts and soak-load-loop.ts.",
			severity: "error",
			from: {},
			to: { path: "^(server\\.ts|scripts/[^/]+\\.ts|bench/(run|baseline-server|stock-gateway|pacer-loop|soak-load-loop)\\.ts)$" }
		}
	],
	options: {
		// Our source only: node_modules is neither cruised nor followed.
		includeOnly: "^(lib|config|mixins|middlewares|services|broker|scripts|bench|test|types)/|^(server|moleculer\\.config)\\.ts$",
		exclude: { path: "^(node_modules|dist|bench/results)/" },
		doNotFollow: { path: "node_modules" },
		// `import type` counts (it is still a dependency between files for the reader).
		tsPreCompilationDeps: true,
		tsConfig: { fileName: "tsconfig.json" },
		enhancedResolveOptions: { extensions: [".ts", ".d.ts", ".js"] },
		reporterOptions: { text: { highlightFocused: true } }
	}
};
