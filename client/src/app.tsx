import { ErrorBoundary, LocationProvider, Route, Router } from "preact-iso";
import { Layout } from "./components/Layout";
import { NotFoundPage } from "./pages/NotFoundPage";
import { accountRoutes } from "./pages/account/routes";
import { adminRoutes } from "./pages/admin/routes";
import { contestsRoutes } from "./pages/contests/routes";
import { groupsRoutes } from "./pages/groups/routes";
import { notificationsRoutes } from "./pages/notifications/routes";
import { peopleRoutes } from "./pages/people/routes";
import { postsRoutes } from "./pages/posts/routes";
import { problemsRoutes } from "./pages/problems/routes";

const ROUTES = [
	...postsRoutes,
	...accountRoutes,
	...groupsRoutes,
	...contestsRoutes,
	...problemsRoutes,
	...peopleRoutes,
	...notificationsRoutes,
	...adminRoutes
];

/** Moves focus to the new page's content after a navigation, as a full page load would. */
function focusMain() {
	const main = document.getElementById("main");
	if (main && document.activeElement !== main) main.focus({ preventScroll: true });
	window.scrollTo(0, 0);
}

export function App() {
	return (
		<LocationProvider>
			<Layout>
				<ErrorBoundary>
					<Router onRouteChange={focusMain}>
						{[
							...ROUTES.map(r => <Route key={r.path} path={r.path} component={r.component} />),
							<Route key="404" default component={NotFoundPage} />
						]}
					</Router>
				</ErrorBoundary>
			</Layout>
		</LocationProvider>
	);
}
