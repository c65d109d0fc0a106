import type { LanguageId } from "../types";

/**
 * What a new solution starts from: reading standard input, the part everyone writes first. Without
 * escapes or regular expressions: the editor's default colours for them fail AA contrast.
 */
export const STARTERS: Record<LanguageId, string> = {
	javascript: 'const input = require("fs").readFileSync(0, "utf8");\n\n',
	python: "import sys\n\ndata = sys.stdin.read()\n\n",
	c: "#include <stdio.h>\n\nint main(void) {\n\t\n\treturn 0;\n}\n",
	cpp: "#include <bits/stdc++.h>\nusing namespace std;\n\nint main() {\n\t\n\treturn 0;\n}\n"
};
