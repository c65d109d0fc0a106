import { ROLES } from "../../lib/auth-types";
import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";
import { PASSWORD_MAX, PASSWORD_MIN } from "./passwords";

export const THEMES = ["light", "dark", "system"] as const;
export const PROFILE_VISIBILITIES = ["public", "private"] as const;

/** Names that collide with routes (`/api/users/me`) or could impersonate the platform. */
export const RESERVED_USERNAMES = new Set(["me", "admin", "administrator", "root", "system", "api", "codelearn", "support"]);

// --- Entities: one schema each; the view types are derived from them (docs/schemas.md) ---

const username = { type: "string", min: 3, max: 32, pattern: /^[A-Za-z0-9_-]+$/, patternMessage: "letters, digits, _ and - only" } as const;
const displayName = { type: "string", min: 1, max: 80 } as const;
const bio = { type: "string", max: 1000 } as const;
const avatarUrl = { type: "url", max: 2048, nullable: true } as const;
const locale = {
	type: "string",
	max: 35,
	pattern: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
	patternMessage: "a BCP 47 tag such as en or pt-BR"
} as const;

export const preferencesSchema = {
	$$strict: true,
	locale,
	timezone: { type: "string", max: 64 },
	theme: { type: "enum", values: THEMES },
	/** "private": the public profile route answers 404 to everyone, and people lookups leave the user out. */
	profileVisibility: { type: "enum", values: PROFILE_VISIBILITIES }
} as const;
export type Preferences = Infer<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
	locale: "en",
	timezone: "UTC",
	theme: "system",
	profileVisibility: "public"
};

/** What anyone may see of a user. */
export const publicProfileSchema = {
	$$strict: true,
	id: { type: "uuid" },
	username,
	displayName,
	bio,
	avatarUrl,
	createdAt: isoDateTime
} as const;
export type PublicProfile = Infer<typeof publicProfileSchema>;

/** What users see of themselves (and admins of anyone). Never a password hash. */
export const ownProfileSchema = {
	...publicProfileSchema,
	email: { type: "email", max: 254 },
	role: { type: "enum", values: ROLES },
	preferences: { type: "object", props: preferencesSchema },
	updatedAt: isoDateTime
} as const;
export type OwnProfile = Infer<typeof ownProfileSchema>;

export const ownProfilePageSchema = pageSchema(ownProfileSchema);

/** What posts and comments show beside an author id: a public profile's name and avatar. */
export const personSchema = {
	$$strict: true,
	id: publicProfileSchema.id,
	username,
	displayName,
	avatarUrl
} as const;
export type Person = Infer<typeof personSchema>;

/** At most this many ids per `users.lookup`. */
export const LOOKUP_MAX_IDS = 100;

/** `users.lookup`: the people found, in no particular order; unknown, deleted and private accounts are absent. */
export const peopleSchema = {
	$$strict: true,
	rows: { type: "array", max: LOOKUP_MAX_IDS, items: { type: "object", props: personSchema } }
} as const;
export type People = Infer<typeof peopleSchema>;

/** A new access token and refresh token (`users.refresh`). */
export const tokensSchema = {
	$$strict: true,
	accessToken: { type: "string", max: 4096 },
	refreshToken: { type: "string", max: 200 },
	/** Seconds until the access token expires. */
	expiresIn: { type: "number", integer: true, positive: true }
} as const;

/** A session just started: the user and its tokens (`users.register`, `users.login`). */
export const authResultSchema = { ...tokensSchema, user: { type: "object", props: ownProfileSchema } } as const;
export type AuthResult = Infer<typeof authResultSchema>;

/** `users.session`: an active session's user and role. */
export const sessionInfoSchema = { $$strict: true, userId: { type: "uuid" }, role: { type: "enum", values: ROLES } } as const;
export type SessionInfo = Infer<typeof sessionInfoSchema>;

export type { Page } from "../../lib/page";

// --- Action params: the schema, and its type derived from it ---

const email = { type: "email", max: 254, normalize: true } as const;
const password = { type: "string", min: PASSWORD_MIN, max: PASSWORD_MAX } as const;

export const registerParams = {
	$$strict: true,
	username,
	email,
	password,
	displayName: { ...displayName, trim: true, optional: true }
} as const;
export type RegisterParams = Infer<typeof registerParams>;

export const loginParams = {
	$$strict: true,
	login: { type: "string", trim: true, min: 1, max: 254 },
	password: { type: "string", min: 1, max: PASSWORD_MAX }
} as const;
export type LoginParams = Infer<typeof loginParams>;

export const refreshParams = { $$strict: true, refreshToken: { type: "string", min: 1, max: 200 } } as const;
export type RefreshParams = Infer<typeof refreshParams>;

/** The fields a user may write on their profile (the service copies exactly these). */
export const updateProfileParams = {
	$$strict: true,
	displayName: { ...displayName, trim: true, optional: true },
	bio: { ...bio, optional: true },
	avatarUrl: { ...avatarUrl, optional: true }
} as const;
export type UpdateProfileParams = Infer<typeof updateProfileParams>;

export const changePasswordParams = {
	$$strict: true,
	currentPassword: { type: "string", min: 1, max: PASSWORD_MAX },
	newPassword: password
} as const;
export type ChangePasswordParams = Infer<typeof changePasswordParams>;

/** Every preference, each optional (a left-out one returns to its default); a time zone must be known. */
export const preferencesParams = {
	$$strict: true,
	locale: { ...locale, optional: true },
	timezone: { type: "enum", values: ["UTC", ...Intl.supportedValuesOf("timeZone")], optional: true },
	theme: { ...preferencesSchema.theme, optional: true },
	profileVisibility: { ...preferencesSchema.profileVisibility, optional: true }
} as const;
export type PreferencesParams = Infer<typeof preferencesParams>;

export const profileParams = { $$strict: true, username: { type: "string", min: 1, max: 32 } } as const;
export type ProfileParams = Infer<typeof profileParams>;

export const listParams = {
	$$strict: true,
	q: { type: "string", trim: true, max: 100, optional: true },
	page: { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 },
	pageSize: { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 }
} as const;
export type ListParams = Infer<typeof listParams>;

export const setRoleParams = { $$strict: true, id: { type: "uuid" }, role: { type: "enum", values: ROLES } } as const;
export type SetRoleParams = Infer<typeof setRoleParams>;

export const sessionParams = { $$strict: true, sessionId: { type: "uuid" } } as const;
export type SessionParams = Infer<typeof sessionParams>;

export const createAdminParams = { $$strict: true, username, email, password } as const;
export type CreateAdminParams = Infer<typeof createAdminParams>;

export const existsParams = { $$strict: true, id: { type: "uuid" } } as const;
export type ExistsParams = Infer<typeof existsParams>;

/** A UUID in any case and of any version: the form PostgreSQL parses, so a matching id can never fail in SQL. */
const UUID_TEXT = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}";

/**
 * `GET /people?ids=a,b,c`: one query parameter, 1 to LOOKUP_MAX_IDS UUIDs separated by commas. The
 * pattern bounds the count, and `max` is the length of exactly that many, so the params gate refuses
 * anything longer before the pattern runs.
 */
export const lookupParams = {
	$$strict: true,
	ids: {
		type: "string",
		min: 36,
		max: LOOKUP_MAX_IDS * 37 - 1,
		pattern: new RegExp(`^${UUID_TEXT}(?:,${UUID_TEXT}){0,${LOOKUP_MAX_IDS - 1}}$`),
		patternMessage: `1 to ${LOOKUP_MAX_IDS} UUIDs separated by commas`
	}
} as const;
export type LookupParams = Infer<typeof lookupParams>;

/** Responses that are one value, or no body at all (204). */
export const booleanResponse = { $$root: true, type: "boolean" } as const;
export const NO_CONTENT = null;

// --- Events (payloads carry no secrets) ---

export interface UserCreatedEvent {
	userId: string;
	username: string;
	displayName: string;
}
export interface UserUpdatedEvent {
	userId: string;
	username: string;
	changed: string[];
}
export interface UserDeletedEvent {
	userId: string;
	username: string;
}
