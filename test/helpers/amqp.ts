import { deleteEventTopology as deleteTopology } from "../../lib/events/topology";
import { EVENT_TOPOLOGY } from "../../services/contracts";
import { TEST_SERVICES } from "./services";

/** Removes a test namespace's durable event exchange and queues from the real RabbitMQ. */
export function deleteEventTopology(namespace: string): Promise<void> {
	return deleteTopology(namespace, TEST_SERVICES.amqp, Object.keys(EVENT_TOPOLOGY));
}
