export {
	type ActionMap,
	type ActionSpec,
	type Caller,
	type ErrorSpec,
	isContractError,
	type ParamsOf,
	type ResultOf,
	type TypedCall,
	typedCall
} from "./actions";
export {
	type ConsumerActions,
	type ConsumerActionSpecs,
	type DeadLetter,
	type DeadLettersParams,
	type RedriveDeadLettersParams
} from "./consumer";
export {
	type CatalogueEvent,
	type EventPattern,
	type EventsMatching,
	eventTypes,
	type EventTypeOf,
	type NewCatalogueEvent,
	type Subscription,
	subscription
} from "./events";
export type { UploadSpec } from "./uploads";
