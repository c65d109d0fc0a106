import { call } from "../../services/contracts";
import { guarded, print, type ReplCommand } from "./command";

/** The first administrator, or an existing user promoted (users.createAdmin, as scripts/create-admin.ts). */
export const createAdminCommand: ReplCommand = {
	command: "create-admin <username> <email> <password>",
	description: "Create an admin user (or make an existing user admin); quote a password with spaces",
	action: guarded(async (broker, args) => {
		const admin = await call(broker, "users.createAdmin", {
			username: String(args.username),
			email: String(args.email),
			password: String(args.password)
		});
		print(`>> Admin ready: ${admin.username} (${admin.id}), role ${admin.role}`);
	})
};
