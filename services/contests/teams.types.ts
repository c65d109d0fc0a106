/** Team contests' schemas (docs/contests.md, "Team contests"); the types follow from them (docs/schemas.md). */
import { pageSchema } from "../../lib/page";
import type { Infer } from "../../lib/validation/infer";
import { isoDateTime } from "../../lib/validation/rules";

/** Members per team at most, whatever the organiser allows (migration 0005 checks it too). */
export const MAX_TEAM_SIZE = 10;

const id = { type: "uuid" } as const;
const teamName = { type: "string", min: 1, max: 100 } as const;

/** `teams` on a contest: set, it is a team contest of teams of at most `maxSize`. */
export const teamsSettingSchema = {
	$$strict: true,
	maxSize: { type: "number", integer: true, min: 1, max: MAX_TEAM_SIZE }
} as const;
export type TeamsSetting = Infer<typeof teamsSettingSchema>;

/** A team as its board row shows it; members in the order they were registered. */
export const teamRefSchema = {
	$$strict: true,
	id,
	name: teamName,
	members: { type: "array", items: { type: "object", props: { $$strict: true, userId: id } } }
} as const;
export type TeamRef = Infer<typeof teamRefSchema>;

export const teamViewSchema = {
	...teamRefSchema,
	/** The group its members belong to. */
	groupId: id,
	registeredAt: isoDateTime
} as const;
export type TeamView = Infer<typeof teamViewSchema>;
export const teamPageSchema = pageSchema(teamViewSchema);

// --- Action params ---

const page = { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, default: 1 } as const;
const pageSize = { type: "number", integer: true, min: 1, max: 100, convert: true, default: 20 } as const;

/** `teams` as contests take it (no other key inside): absent or null, an individual contest. */
export const teamsParam = { type: "object", strict: true, props: teamsSettingSchema, nullable: true, optional: true } as const;

export const registerTeamParams = {
	$$strict: true,
	id,
	groupId: id,
	name: { ...teamName, trim: true },
	memberIds: { type: "array", items: id, min: 1, max: MAX_TEAM_SIZE, unique: true }
} as const;
export type RegisterTeamParams = Infer<typeof registerTeamParams>;

export const listTeamsParams = { $$strict: true, id, page, pageSize } as const;
export type ListTeamsParams = Infer<typeof listTeamsParams>;

export const teamParams = { $$strict: true, id, teamId: id } as const;
export type TeamParams = Infer<typeof teamParams>;
