/**
 * Every service's contract in one place: the action map behind the typed `call`, the catalogue of
 * every domain event, and the event topology built from each consumer's subscription (each consumer
 * also has the consumer contract's actions, lib/contracts/consumer.ts). A service imports other
 * services' `<name>.contract.ts` (or this index), never their other files.
 */
import { type ConsumerActions, typedCall } from "../lib/contracts";
import type { EventTopology } from "../lib/events/topology";
import type { AuditActions } from "./audit/audit.contract";
import { AUDIT_SUBSCRIPTION } from "./audit/audit.subscription";
import type { ContestsActions, ContestsEvents } from "./contests/contests.contract";
import { CONTESTS_SUBSCRIPTION } from "./contests/contests.subscription";
import type { GatewayActions } from "./gateway/gateway.contract";
import type { GroupsActions, GroupsEvents } from "./groups/groups.contract";
import type { JudgeActions } from "./judge/judge.contract";
import { JUDGE_SUBSCRIPTION } from "./judge/judge.subscription";
import { GROUPS_SUBSCRIPTION } from "./groups/groups.subscription";
import type { NotificationsActions } from "./notifications/notifications.contract";
import { NOTIFICATIONS_SUBSCRIPTION } from "./notifications/notifications.subscription";
import type { PostsActions, PostsEvents } from "./posts/posts.contract";
import { POSTS_SUBSCRIPTION } from "./posts/posts.subscription";
import type { ProblemsActions, ProblemsEvents } from "./problems/problems.contract";
import { PROBLEMS_SUBSCRIPTION } from "./problems/problems.subscription";
import type { RankingsActions } from "./rankings/rankings.contract";
import { RANKINGS_SUBSCRIPTION } from "./rankings/rankings.subscription";
import type { UsersActions, UsersEvents } from "./users/users.contract";

/** Every action of the platform: name → params and result (with every consumer's `deadLetters` and `redriveDeadLetters`). */
export interface Actions
	extends
		UsersActions,
		GroupsActions,
		PostsActions,
		ContestsActions,
		ProblemsActions,
		JudgeActions,
		RankingsActions,
		NotificationsActions,
		AuditActions,
		GatewayActions,
		ConsumerActions<ConsumingService> {}

/** Every domain event of the platform: type → payload. */
export interface DomainEvents extends UsersEvents, GroupsEvents, PostsEvents, ContestsEvents, ProblemsEvents {}

/** `call(ctx, "groups.membership", { groupId, userId })`: params and result typed by the callee's contract. */
export const call = typedCall<Actions>();

/** The services that consume domain events through an inbox (ConsumerMixin): each has the consumer contract's actions. */
const INBOX_CONSUMERS = {
	audit: AUDIT_SUBSCRIPTION.patterns,
	groups: GROUPS_SUBSCRIPTION.patterns,
	posts: POSTS_SUBSCRIPTION.patterns,
	contests: CONTESTS_SUBSCRIPTION.patterns,
	problems: PROBLEMS_SUBSCRIPTION.patterns,
	rankings: RANKINGS_SUBSCRIPTION.patterns,
	notifications: NOTIFICATIONS_SUBSCRIPTION.patterns
} satisfies EventTopology;

/** Which service consumes which events: each consumer's subscription, the one place it is declared (the judge's is a work queue). */
export const EVENT_TOPOLOGY = { ...INBOX_CONSUMERS, judge: JUDGE_SUBSCRIPTION.patterns } satisfies EventTopology;

export type ConsumingService = keyof typeof INBOX_CONSUMERS;

/** Whether a service name is one of the inbox consumers (e.g. an operator's argument). */
export function isConsumingService(name: string): name is ConsumingService {
	return Object.hasOwn(INBOX_CONSUMERS, name);
}
