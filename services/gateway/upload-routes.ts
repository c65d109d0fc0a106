import type { UploadSpec } from "../../lib/contracts";
import { TESTS_UPLOAD } from "../problems/problems.contract";
import { limitUpload, safeRequestInput } from "./request-guards";
import type { RouteTable } from "./routes";

/** The API's raw uploads: each served by a gateway route of its own and documented, both from its contract's declaration. */
export const UPLOADS: readonly UploadSpec[] = [TESTS_UPLOAD];

/** An upload as the alias table reads: "PUT /problems/:id/tests" → "problems.replaceTests". */
export function uploadTable(uploads: readonly UploadSpec[] = UPLOADS): RouteTable {
	return Object.fromEntries(
		uploads.map(upload => {
			const [method, path] = upload.route.split(" ");
			return [`${method} ${upload.under}${path}`, upload.action];
		})
	);
}

/**
 * The gateway route of an upload, placed before "/api" (its path is deeper, so moleculer-web tries
 * it first): the body, unparsed, is streamed to the action with a bound of its own.
 */
export function uploadRoute(upload: UploadSpec, rateLimit: object) {
	return {
		path: `/api${upload.under}`,
		mappingPolicy: "restrict" as const,
		authentication: true,
		bodyParsers: false as const,
		use: [safeRequestInput, limitUpload(upload.maxBytes)],
		aliases: { [upload.route]: `stream:${upload.action}` },
		rateLimit
	};
}
