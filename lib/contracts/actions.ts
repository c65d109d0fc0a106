import type { CallingOptions } from "moleculer";

/** One action of a contract: the parameters it takes and what it answers. */
export interface ActionSpec<P = unknown, R = unknown> {
	params: P;
	result: R;
}

/** Action name → its spec, e.g. `{ "groups.membership": ActionSpec<MembershipParams, Membership> }`. */
export type ActionMap<M> = { [A in keyof M]: ActionSpec };

/** Anything that calls actions: a Context (the call joins its trace, deadline and meta) or the broker. */
export interface Caller {
	call<TResult, TParams>(actionName: string, params: TParams, opts?: CallingOptions): Promise<TResult>;
}

export type ParamsOf<M, A extends keyof M> = M[A] extends ActionSpec<infer P, unknown> ? P : never;
export type ResultOf<M, A extends keyof M> = M[A] extends ActionSpec<unknown, infer R> ? R : never;

/** `call(ctx, "groups.membership", params)`: the action's params and result types come from the map. */
export type TypedCall<M extends ActionMap<M>> = <A extends keyof M & string>(
	caller: Caller,
	action: A,
	params: ParamsOf<M, A>,
	opts?: CallingOptions
) => Promise<ResultOf<M, A>>;

/** The call helper for an action map (services/contracts.ts binds it to every service's contract). */
export function typedCall<M extends ActionMap<M>>(): TypedCall<M> {
	return <A extends keyof M & string>(caller: Caller, action: A, params: ParamsOf<M, A>, opts?: CallingOptions) =>
		caller.call<ResultOf<M, A>, ParamsOf<M, A>>(action, params, opts);
}

/** An error a contract lets callers see: its status code and stable `type`. */
export interface ErrorSpec {
	code: number;
	type: string;
}

/** Whether a caught error is the one the contract names (errors cross nodes as plain data: compare code and type, not classes). */
export function isContractError(err: unknown, spec: ErrorSpec): boolean {
	const e = err as { code?: unknown; type?: unknown } | null;
	return typeof e === "object" && e !== null && e.code === spec.code && e.type === spec.type;
}
