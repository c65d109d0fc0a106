import { useTitle } from "../hooks";

export function NotFoundPage() {
	useTitle("Not found");
	return (
		<section>
			<h1>Page not found</h1>
			<p>
				There is nothing at this address. <a href="/">Back to the posts</a>.
			</p>
		</section>
	);
}
