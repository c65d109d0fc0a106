import type { Role } from "../../lib/auth-types";
import { ROLES } from "../../lib/auth-types";
import { PASSWORD_MAX, PASSWORD_MIN } from "./passwords";

export const THEMES = ["light", "dark", "system"] as const;
export const PROFILE_VISIBILITIES = ["public", "private"] as const;

export interface Preferences {
	locale: string;
	timezone: string;
	theme: (typeof THEMES)[number];
	/** "private": the public profile route answers 404 to everyone. */
	profileVisibility: (typeof PROFILE_VISIBILITIES)[number];
}

export const DEFAULT_PREFERENCES: Preferences = {
	locale: "en",
	timezone: "UTC",
	theme: "system",
	profileVisibility: "public"
};

/** Names that collide with routes (`/api/users/me`) or could impersonate the platform. */
export const RESERVED_USERNAMES = new Set(["me", "admin", "administrator", "root", "system", "api", "codelearn", "support"]);

/** What anyone may see of a user. */
export interface PublicProfile {
	id: string;
	username: string;
	displayName: string;
	bio: string;
	avatarUrl: string | null;
	createdAt: string;
}

/** What users see of themselves (and admins of anyone). Never a password hash. */
export interface OwnProfile extends PublicProfile {
	email: string;
	role: Role;
	preferences: Preferences;
	updatedAt: string;
}

export interface AuthResult {
	user: OwnProfile;
	accessToken: string;
	refreshToken: string;
	/** Seconds until the access token expires. */
	expiresIn: number;
}

export type { Page } from "../../lib/page";

// --- Action params, with their validator schemas side by side ---

const username = { type: "string", min: 3, max: 32, pattern: /^[A-Za-z0-9_-]+$/, patternMessage: "letters, digits, _ and - only" } as const;
const email = { type: "email", max: 254, normalize: true } as const;
const password = { type: "string", min: PASSWORD_MIN, max: PASSWORD_MAX } as const;
const displayName = { type: "string", trim: true, min: 1, max: 80 } as const;

export interface RegisterParams {
	username: string;
	email: string;
	password: string;
	displayName?: string;
}
export const registerParams = { $$strict: true, username, email, password, displayName: { ...displayName, optional: true } };

export interface LoginParams {
	login: string;
	password: string;
}
export const loginParams = {
	$$strict: true,
	login: { type: "string", trim: true, min: 1, max: 254 },
	password: { type: "string", min: 1, max: PASSWORD_MAX }
};

export interface RefreshParams {
	refreshToken: string;
}
export const refreshParams = { $$strict: true, refreshToken: { type: "string", min: 1, max: 200 } };

export interface UpdateProfileParams {
	displayName?: string;
	bio?: string;
	avatarUrl?: string | null;
}
export const updateProfileParams = {
	$$strict: true,
	displayName: { ...displayName, optional: true },
	bio: { type: "string", max: 1000, optional: true },
	avatarUrl: { type: "url", max: 2048, optional: true, nullable: true }
};

export interface ChangePasswordParams {
	currentPassword: string;
	newPassword: string;
}
export const changePasswordParams = {
	$$strict: true,
	currentPassword: { type: "string", min: 1, max: PASSWORD_MAX },
	newPassword: password
};

export type PreferencesParams = Partial<Preferences>;
export const preferencesParams = {
	$$strict: true,
	locale: {
		type: "string",
		max: 35,
		pattern: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
		patternMessage: "a BCP 47 tag such as en or pt-BR",
		optional: true
	},
	timezone: { type: "enum", values: ["UTC", ...Intl.supportedValuesOf("timeZone")], optional: true },
	theme: { type: "enum", values: THEMES, optional: true },
	profileVisibility: { type: "enum", values: PROFILE_VISIBILITIES, optional: true }
};

export interface ProfileParams {
	username: string;
}
export const profileParams = { $$strict: true, username: { type: "string", min: 1, max: 32 } };

export interface ListParams {
	q?: string;
	page: number;
	pageSize: number;
}
export const listParams = {
	$$strict: true,
	q: { type: "string", trim: true, max: 100, optional: true },
	page: { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 },
	pageSize: { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 }
};

export interface SetRoleParams {
	id: string;
	role: Role;
}
export const setRoleParams = { $$strict: true, id: { type: "uuid" }, role: { type: "enum", values: ROLES } };

export interface SessionParams {
	sessionId: string;
}
export const sessionParams = { $$strict: true, sessionId: { type: "uuid" } };

export interface CreateAdminParams {
	username: string;
	email: string;
	password: string;
}
export const createAdminParams = { $$strict: true, username, email, password };

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
