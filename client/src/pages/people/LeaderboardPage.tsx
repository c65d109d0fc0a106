import { useTitle } from "../../hooks";
import { BoardTable, useBoardQuery } from "./BoardTable";
import "./people.css";

/** The global leaderboard: rated players by rating, or everyone who solved a practice problem by how many. */
export default function LeaderboardPage() {
	const { by } = useBoardQuery();
	useTitle(by === "solved" ? "Leaderboard by problems solved" : "Leaderboard");
	return (
		<section>
			<h1>Leaderboard</h1>
			<p class="muted">
				{by === "rating"
					? "Ratings change after each rated contest. Equal ratings share a rank."
					: "Practice problems solved, a contest's problems counting once they join the practice archive. Equal counts share a rank."}
			</p>
			<BoardTable path="/leaderboard" basePath="/leaderboard" label="Leaderboard" />
		</section>
	);
}
