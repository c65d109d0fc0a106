/** One stored domain event (GET /api/admin/audit). */
export interface AuditEntry {
	eventId: string;
	type: string;
	producer: string;
	aggregateId: string;
	actorId: string | null;
	occurredAt: string;
	payload: Record<string, unknown>;
}

/** The filters the audit route takes, as kept in the page's address. */
export interface AuditFilters {
	type?: string;
	aggregateId?: string;
	actorId?: string;
	/** ISO-8601 instants: from inclusive, to exclusive. */
	from?: string;
	to?: string;
}

export const FILTER_KEYS = ["type", "aggregateId", "actorId", "from", "to"] as const;

/** The event types the platform records, offered as suggestions in the type filter. */
export const EVENT_TYPES = [
	"user.created",
	"user.updated",
	"user.deleted",
	"post.created",
	"post.published",
	"post.updated",
	"post.deleted",
	"post.commented",
	"post.reacted",
	"group.created",
	"group.updated",
	"group.deleted",
	"group.member.joined",
	"group.member.left",
	"group.member.removed",
	"group.member.role_changed",
	"group.invitation.created",
	"group.invitation.revoked",
	"group.request.created",
	"group.request.approved",
	"group.request.rejected",
	"contest.created",
	"contest.updated",
	"contest.deleted",
	"contest.registered",
	"contest.team_registered",
	"contest.team_withdrawn",
	"contest.started",
	"contest.problem_solved",
	"contest.ended",
	"contest.archived",
	"problem.created",
	"problem.published",
	"submission.queued",
	"submission.judged"
];
