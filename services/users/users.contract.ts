/**
 * The users service's contract: what other services may call, catch and consume. Other services
 * import this file, never the service's other files. The parameter and response types are derived
 * from the actions' schemas (users.types.ts, docs/schemas.md).
 */
import type { ActionSpec, ErrorSpec } from "../../lib/contracts";
import { eventTypes } from "../../lib/contracts";
import type {
	AuthResult,
	ChangePasswordParams,
	CreateAdminParams,
	ExistsParams,
	ListParams,
	LoginParams,
	LookupParams,
	OwnProfile,
	Page,
	People,
	Preferences,
	PreferencesParams,
	ProfileParams,
	PublicProfile,
	RefreshParams,
	RegisterParams,
	SessionInfo,
	SessionParams,
	SetRoleParams,
	UpdateProfileParams,
	UserCreatedEvent,
	UserDeletedEvent,
	UserUpdatedEvent
} from "./users.types";

export type {
	AuthResult,
	ExistsParams,
	LookupParams,
	OwnProfile,
	People,
	Person,
	Preferences,
	PublicProfile,
	SessionInfo,
	SessionParams,
	UserCreatedEvent,
	UserDeletedEvent,
	UserUpdatedEvent
} from "./users.types";

type NoParams = Record<string, never>;

export interface UsersActions {
	"users.register": ActionSpec<RegisterParams, AuthResult>;
	"users.login": ActionSpec<LoginParams, AuthResult>;
	"users.refresh": ActionSpec<RefreshParams, Omit<AuthResult, "user">>;
	"users.logout": ActionSpec<NoParams, null>;
	"users.changePassword": ActionSpec<ChangePasswordParams, null>;
	/** For the gateway: is this session still active, and with which role? (SESSION_ENDED if not) */
	"users.session": ActionSpec<SessionParams, SessionInfo>;
	/** For operators: creates an admin, or promotes the user. */
	"users.createAdmin": ActionSpec<CreateAdminParams, OwnProfile>;
	"users.me": ActionSpec<NoParams, OwnProfile>;
	"users.updateMe": ActionSpec<UpdateProfileParams, OwnProfile>;
	"users.getPreferences": ActionSpec<NoParams, Preferences>;
	"users.updatePreferences": ActionSpec<PreferencesParams, Preferences>;
	"users.deleteMe": ActionSpec<NoParams, null>;
	"users.profile": ActionSpec<ProfileParams, PublicProfile>;
	/** Up to 100 people's names and avatars by id (comma-separated); unknown, deleted and private ones are absent. */
	"users.lookup": ActionSpec<LookupParams, People>;
	"users.list": ActionSpec<ListParams, Page<OwnProfile>>;
	"users.setRole": ActionSpec<SetRoleParams, OwnProfile>;
	/** For other services (groups' invitations): does this account exist? */
	"users.exists": ActionSpec<ExistsParams, boolean>;
}

/** The errors callers of the internal actions may see. */
export const USERS_ERRORS = {
	/** `users.session`: the session was logged out, revoked or expired. */
	SESSION_ENDED: { code: 401, type: "SESSION_ENDED" }
} as const satisfies Record<string, ErrorSpec>;

/** The domain events users produces: event type → payload. */
export interface UsersEvents {
	"user.created": UserCreatedEvent;
	"user.updated": UserUpdatedEvent;
	"user.deleted": UserDeletedEvent;
}

export const USERS_EVENT_TYPES = eventTypes<UsersEvents>({ "user.created": true, "user.updated": true, "user.deleted": true });
