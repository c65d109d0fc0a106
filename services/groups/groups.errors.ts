import { ConflictError, ForbiddenError, NotFoundError } from "../../lib/errors";

/** The conflicts a group answers with 409, each with its stable type. */
const conflict = (type: string, message: string) =>
	class extends ConflictError {
		constructor() {
			super(message, type);
		}
	};

export const GroupNameTakenError = conflict("GROUP_NAME_TAKEN", "A group with this name exists");
export const AlreadyMemberError = conflict("ALREADY_MEMBER", "The user is already a member of this group");
export const AlreadyInvitedError = conflict("ALREADY_INVITED", "The user is already invited to this group");
export const RequestPendingError = conflict("REQUEST_PENDING", "A request to join this group is already pending");
export const NotAMemberError = conflict("NOT_A_MEMBER", "You are not a member of this group");
export const LastOwnerError = conflict("LAST_OWNER", "A group needs an owner: make someone else owner first");

export class GroupNotFoundError extends NotFoundError {
	constructor() {
		super("Group");
	}
}

export class NotInvitedError extends ForbiddenError {
	constructor() {
		super("This group is by invitation only", "NOT_INVITED");
	}
}

export const notFound = (what: "Member" | "Request" | "Invitation" | "User") => new NotFoundError(what, `${what.toUpperCase()}_NOT_FOUND`);
