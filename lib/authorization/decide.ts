import type { Role } from "../auth-types";
import { ForbiddenError, UnauthorizedError } from "../errors";
import { allows, type GroupStanding, type Permission } from "./group-permissions";
import { type Condition, type DomainAction, type Relation, type Rule, RULES, type State } from "./rules";

/** What the serving service knows of the caller and the thing, gathered before it decides. */
export interface Facts {
	/** null: anonymous. */
	caller: { id: string; role: Role } | null;
	relations?: readonly Relation[];
	state?: State;
	/** The group the thing is in: none (null or absent), deleted (`"gone"`), or the caller's standing there. */
	group?: GroupStanding | "gone" | null;
}

export type Refusal = "unauthenticated" | "hidden" | "forbidden";
export type Decision = { allowed: true } | { allowed: false; refusal: Refusal };

const ALLOWED: Decision = { allowed: true };

function groupAllows(permission: Permission, group: Facts["group"], ifInOne: boolean): boolean {
	if (group === null || group === undefined) return ifInOne;
	return group !== "gone" && allows(permission, group.visibility, group.role);
}

function holds(condition: Condition, facts: Facts): boolean {
	if (condition === "anyone") return true;
	if (condition === "signedIn") return facts.caller !== null;
	if (condition === "platformAdmin") return facts.caller?.role === "admin";
	if (condition.startsWith("group:")) return groupAllows(condition.slice(6) as Permission, facts.group, false);
	if (condition.startsWith("ifGroup:")) return groupAllows(condition.slice(8) as Permission, facts.group, true);
	if (condition === facts.state) return true;
	return facts.caller !== null && (facts.relations ?? []).includes(condition as Relation);
}

/** Whether the caller may do the action, and if not, what they are told. Pure: facts in, decision out. */
export function decide(action: DomainAction, facts: Facts): Decision {
	const rule: Rule = RULES[action];
	if (rule.anyOf.some(grant => grant.every(condition => holds(condition, facts)))) return ALLOWED;
	if (rule.refusal === "hidden") return { allowed: false, refusal: "hidden" };
	if (!facts.caller) return { allowed: false, refusal: "unauthenticated" };
	if (rule.seenThrough && !decide(rule.seenThrough, facts).allowed) return { allowed: false, refusal: "hidden" };
	return { allowed: false, refusal: "forbidden" };
}

/** Whether the action's rule, or the one it is seen through, depends on this condition: facts that cost a query are gathered only then. */
export function dependsOn(action: DomainAction, condition: Condition): boolean {
	const rule: Rule = RULES[action];
	return (
		rule.anyOf.some(grant => grant.includes(condition)) || (rule.seenThrough !== undefined && dependsOn(rule.seenThrough, condition))
	);
}

/** The errors a service answers a refusal with; a 401 and a plain 403 are everyone's. */
export interface RefusalErrors {
	hidden: () => Error;
	forbidden?: () => Error;
}

/** Decides, and throws the service's error for a refusal. */
export function authorize(action: DomainAction, facts: Facts, errors: RefusalErrors): void {
	const decision = decide(action, facts);
	if (decision.allowed) return;
	if (decision.refusal === "unauthenticated") throw new UnauthorizedError();
	if (decision.refusal === "hidden") throw errors.hidden();
	throw errors.forbidden ? errors.forbidden() : new ForbiddenError();
}
