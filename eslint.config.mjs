import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
	{ ignores: ["node_modules/", "dist/", "coverage/", ".data/"] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: { parserOptions: { projectService: { allowDefaultProject: ["eslint.config.mjs"] }, tsconfigRootDir: import.meta.dirname } },
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
	{
		files: ["test/**/*.ts", "bench/**/*.ts"],
		rules: { "@typescript-eslint/no-explicit-any": "off" }
	}
);
