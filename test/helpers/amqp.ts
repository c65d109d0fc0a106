import { deleteEventTopology as deleteTopology } from "../../lib/events/topology";
import { TEST_SERVICES } from "./services";

/** Removes a test namespace's durable event exchange and queues from the real RabbitMQ. */
export function deleteEventTopology(namespace: string): Promise<void> {
	return deleteTopology(namespace, TEST_SERVICES.amqp);
}
