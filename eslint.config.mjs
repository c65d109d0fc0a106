import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import regexp from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

export default tseslint.config(
	{ ignores: ["node_modules/", "dist/", "coverage/", ".data/", "client/dist/"] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	// Patterns meet user input: none may backtrack super-linearly (ReDoS).
	{
		plugins: { regexp },
		rules: {
			"regexp/no-super-linear-backtracking": "error",
			"regexp/no-super-linear-move": "error",
			"regexp/no-dupe-disjunctions": ["error", { report: "all" }],
			"regexp/no-misleading-capturing-group": "error"
		}
	},
	{
		languageOptions: {
			parserOptions: {
				projectService: { allowDefaultProject: ["eslint.config.mjs", ".dependency-cruiser.cjs"] },
				tsconfigRootDir: import.meta.dirname
			}
		},
		rules: {
			"@typescript-eslint/no-floating-promises": [
				"error",
				{ allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["describe", "it", "test", "before", "after"] }] }
			],
			"@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
			"@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
			"no-console": "error"
		}
	},
	// Formatting is Prettier's (`npm run format`); eslint-config-prettier turns off the rules it owns.
	prettier,
	{
		files: ["test/**/*.ts", "bench/**/*.ts", "**/*.test.ts"],
		// Tests and the bench match their own processes' output, never a stranger's input.
		rules: {
			"@typescript-eslint/no-explicit-any": "off",
			"regexp/no-super-linear-move": "off",
			"regexp/no-super-linear-backtracking": "off"
		}
	}
);
