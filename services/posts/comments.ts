import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import { selectPage } from "../../lib/select-page";
import type { CommentView } from "./posts.types";

export interface CommentRow {
	id: string;
	post_id: string;
	parent_id: string | null;
	depth: number;
	author_id: string | null;
	content: string;
	html: string;
	deleted_at: Date | null;
	created_at: Date;
	updated_at: Date;
}

export const toComment = (r: CommentRow): CommentView => ({
	id: r.id,
	postId: r.post_id,
	parentId: r.parent_id,
	depth: r.depth,
	authorId: r.author_id,
	content: r.content,
	html: r.html,
	deleted: r.deleted_at !== null,
	createdAt: new Date(r.created_at).toISOString(),
	updatedAt: new Date(r.updated_at).toISOString()
});

/** Threaded comments; the post's `comment_count` moves in the same transaction. */
export class Comments {
	private readonly comments: string;
	private readonly posts: string;

	constructor(
		private readonly sequelize: Sequelize,
		schema: string
	) {
		this.comments = `"${schema}".comments`;
		this.posts = `"${schema}".posts`;
	}

	private select(sql: string, bind: unknown[], transaction?: Transaction): Promise<CommentRow[]> {
		return this.sequelize.query<CommentRow>(sql, { bind, transaction, type: QueryTypes.SELECT });
	}

	async find(postId: string, commentId: string, transaction?: Transaction): Promise<CommentRow | undefined> {
		const [row] = await this.select(`SELECT * FROM ${this.comments} WHERE id = $1 AND post_id = $2`, [commentId, postId], transaction);
		return row;
	}

	/** A post's comments, oldest first: a client builds the tree from `parentId`. */
	async page(postId: string, page: number, pageSize: number): Promise<{ rows: CommentView[]; total: number }> {
		const { rows, total } = await selectPage<CommentRow>(this.sequelize, {
			from: `FROM ${this.comments} WHERE post_id = $1`,
			orderBy: "created_at, id",
			bind: [postId],
			page,
			pageSize
		});
		return { rows: rows.map(toComment), total };
	}

	async add(
		transaction: Transaction,
		c: { postId: string; parentId: string | null; depth: number; authorId: string; content: string; html: string }
	): Promise<CommentView> {
		const [row] = await this.select(
			`INSERT INTO ${this.comments} (post_id, parent_id, depth, author_id, content, html) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
			[c.postId, c.parentId, c.depth, c.authorId, c.content, c.html],
			transaction
		);
		await this.adjustCount(transaction, c.postId, +1);
		return toComment(row);
	}

	async edit(commentId: string, content: string, html: string): Promise<CommentView> {
		const [row] = await this.select(
			`UPDATE ${this.comments} SET content = $2, html = $3, updated_at = clock_timestamp() WHERE id = $1 RETURNING *`,
			[commentId, content, html]
		);
		return toComment(row);
	}

	/** Blanks the comment but keeps its place, so that its replies stay in the thread. */
	async remove(transaction: Transaction, postId: string, commentId: string): Promise<void> {
		await this.select(
			`UPDATE ${this.comments} SET content = '', html = '', author_id = NULL, deleted_at = clock_timestamp(), updated_at = clock_timestamp()
			 WHERE id = $1 AND deleted_at IS NULL`,
			[commentId],
			transaction
		);
		await this.adjustCount(transaction, postId, -1);
	}

	/** The user's account is gone: their comments stay, without their name. */
	async anonymise(userId: string, transaction: Transaction): Promise<string[]> {
		const rows = await this.select(
			`UPDATE ${this.comments} SET author_id = NULL WHERE author_id = $1 RETURNING post_id`,
			[userId],
			transaction
		);
		return [...new Set(rows.map(r => r.post_id))];
	}

	private async adjustCount(transaction: Transaction, postId: string, by: number) {
		await this.sequelize.query(`UPDATE ${this.posts} SET comment_count = comment_count + $2 WHERE id = $1`, {
			bind: [postId, by],
			transaction
		});
	}
}
