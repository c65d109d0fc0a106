/** The gateway's contract: its own action (the rest of the API is other services' actions behind its routes). */
import type { ActionSpec } from "../../lib/contracts";

export interface GatewayActions {
	/** A one-minute ticket for the notification stream (EventSource sends no headers). */
	"gateway.streamTicket": ActionSpec<Record<string, never>, { ticket: string; expiresIn: number }>;
}
