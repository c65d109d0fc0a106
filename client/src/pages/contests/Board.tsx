import { PersonLink } from "../../components/PersonLink";
import { type BoardRow, type ContestProblem, letterOf, type ProblemCell, type Scoring } from "./types";

function Competitor({ row }: { row: BoardRow }) {
	if (!row.team) return <PersonLink id={row.userId ?? null} />;
	return (
		<>
			<strong>{row.team.name}</strong>
			<span class="members">
				{row.team.members.map((m, i) => (
					<span key={m.userId}>
						{i > 0 && ", "}
						<PersonLink id={m.userId} />
					</span>
				))}
			</span>
		</>
	);
}

/** A problem's cell as contests show it (+2 solved after two wrong tries, −3 three wrong tries), said in words too. */
function Cell({ cell }: { cell: ProblemCell | undefined }) {
	if (!cell || (!cell.solved && !cell.wrongTries)) return <td />;
	const tries = `${cell.wrongTries} wrong ${cell.wrongTries === 1 ? "try" : "tries"}`;
	if (!cell.solved)
		return (
			<td class="cell-wrong">
				<span aria-hidden="true">−{cell.wrongTries}</span>
				<span class="visually-hidden">not solved, {tries}</span>
			</td>
		);
	return (
		<td class="cell-solved">
			<span aria-hidden="true">
				+{cell.wrongTries || ""}
				{cell.solvedAtMinute !== null && <small>{cell.solvedAtMinute}′</small>}
			</span>
			<span class="visually-hidden">
				solved{cell.solvedAtMinute !== null && ` at minute ${cell.solvedAtMinute}`}
				{cell.wrongTries ? ` after ${tries}` : ""}
			</span>
		</td>
	);
}

interface BoardProps {
	rows: BoardRow[];
	scoring: Scoring;
	/** Columns per problem, when the caller may see the problems (participants and the organiser). */
	problems: ContestProblem[] | null;
	teams: boolean;
	isMine: (row: BoardRow) => boolean;
	caption: string;
}

/** The standings as a table: rank, who, solved, penalty or points, and each problem. */
export function Board({ rows, scoring, problems, teams, isMine, caption }: BoardProps) {
	return (
		<div class="table-wrap">
			<table class="board">
				<caption>{caption}</caption>
				<thead>
					<tr>
						<th scope="col">Rank</th>
						<th scope="col">{teams ? "Team" : "Participant"}</th>
						<th scope="col">Solved</th>
						<th scope="col">{scoring === "icpc" ? "Penalty" : "Points"}</th>
						{problems?.map(p => (
							<th key={p.id} scope="col">
								<abbr title={p.title}>{letterOf(p.position)}</abbr>
							</th>
						))}
					</tr>
				</thead>
				<tbody>
					{rows.map(row => {
						const mine = isMine(row);
						return (
							<tr key={row.team?.id ?? row.userId ?? row.rank} class={mine ? "mine" : undefined}>
								<td>{row.rank}</td>
								<th scope="row">
									<Competitor row={row} />
									{mine && <span class="tag">you</span>}
								</th>
								<td>{row.solved}</td>
								<td>{scoring === "icpc" ? (row.penalty ?? 0) : (row.points ?? 0)}</td>
								{problems?.map(p => (
									<Cell key={p.id} cell={row.problems[p.id]} />
								))}
							</tr>
						);
					})}
				</tbody>
			</table>
		</div>
	);
}
