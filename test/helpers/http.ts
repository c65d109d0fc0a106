/** A tiny JSON client for the gateway, returning status, headers and parsed body. */
export interface ApiResponse<T = any> {
	status: number;
	headers: Headers;
	body: T;
}

export function apiClient(baseUrl: string) {
	return async function api<T = any>(
		method: string,
		path: string,
		options: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {}
	): Promise<ApiResponse<T>> {
		const headers: Record<string, string> = { ...options.headers };
		if (options.token) headers.authorization = `Bearer ${options.token}`;
		let body: string | undefined = options.rawBody;
		if (options.body !== undefined) {
			body = JSON.stringify(options.body);
			headers["content-type"] ??= "application/json";
		}
		const res = await fetch(baseUrl + path, { method, headers, body, signal: AbortSignal.timeout(15_000) });
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			// not JSON: keep the text, the test will say so
		}
		return { status: res.status, headers: res.headers, body: parsed as T };
	};
}

export type Api = ReturnType<typeof apiClient>;

let counter = 0;
/** A unique, valid registration body. */
export function newUser(prefix = "user") {
	const id = `${prefix}${process.pid}x${Date.now().toString(36)}${(counter++).toString(36)}`.slice(0, 32);
	return { username: id, email: `${id}@example.com`, password: `pw-${id}-Long!` };
}
