import type { ComponentType } from "preact";

/** One page of the client: the path it answers and its component, loaded with lazy() so that each page is its own chunk. */
export interface PageRoute {
	path: string;
	component: ComponentType<Record<string, unknown>>;
}
