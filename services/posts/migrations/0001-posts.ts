import type { Migration } from "../../../mixins/db/migrate";

export const postsCommentsReactions: Migration = {
	name: "0001-posts-comments-reactions",
	async up({ context: { query, schema } }) {
		await query(`
			CREATE TABLE "${schema}".posts (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				slug varchar(220) NOT NULL,
				title varchar(200) NOT NULL,
				content text NOT NULL,
				html text NOT NULL,
				excerpt varchar(300) NOT NULL,
				category varchar(32) NOT NULL
					CHECK (category IN ('algorithms', 'data-structures', 'web', 'databases', 'devops', 'languages', 'career')),
				tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 5),
				status varchar(10) NOT NULL CHECK (status IN ('draft', 'published')),
				group_id uuid,
				-- Kept from the groups service's events: private group posts stay out of public lists.
				group_private boolean NOT NULL DEFAULT false,
				author_id uuid NOT NULL,
				reading_time_minutes integer NOT NULL,
				view_count bigint NOT NULL DEFAULT 0,
				like_count integer NOT NULL DEFAULT 0 CHECK (like_count >= 0),
				helpful_count integer NOT NULL DEFAULT 0 CHECK (helpful_count >= 0),
				insightful_count integer NOT NULL DEFAULT 0 CHECK (insightful_count >= 0),
				comment_count integer NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
				search tsvector NOT NULL DEFAULT ''::tsvector,
				published_at timestamptz,
				created_at timestamptz NOT NULL DEFAULT now(),
				updated_at timestamptz NOT NULL DEFAULT now()
			)`);
		await query(`CREATE UNIQUE INDEX posts_slug_key ON "${schema}".posts (slug)`);
		// Title weighs most, then tags, then the body. A trigger, because array_to_string is not
		// immutable and so cannot feed a generated column.
		await query(`
			CREATE FUNCTION "${schema}".posts_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				NEW.search :=
					setweight(to_tsvector('english', NEW.title), 'A') ||
					setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B') ||
					setweight(to_tsvector('english', NEW.content), 'C');
				RETURN NEW;
			END $$`);
		await query(`
			CREATE TRIGGER posts_search_vector BEFORE INSERT OR UPDATE OF title, tags, content ON "${schema}".posts
			FOR EACH ROW EXECUTE FUNCTION "${schema}".posts_search_vector()`);
		await query(`CREATE INDEX posts_search_idx ON "${schema}".posts USING gin (search)`);
		await query(`CREATE INDEX posts_tags_idx ON "${schema}".posts USING gin (tags)`);
		// The public feed: published, not in a private group, newest first.
		await query(
			`CREATE INDEX posts_feed_idx ON "${schema}".posts (published_at DESC, id) WHERE status = 'published' AND NOT group_private`
		);
		await query(`CREATE INDEX posts_author_idx ON "${schema}".posts (author_id, created_at DESC)`);
		await query(`CREATE INDEX posts_group_idx ON "${schema}".posts (group_id, published_at DESC) WHERE group_id IS NOT NULL`);

		await query(`
			CREATE TABLE "${schema}".reactions (
				post_id uuid NOT NULL REFERENCES "${schema}".posts (id) ON DELETE CASCADE,
				user_id uuid NOT NULL,
				kind varchar(12) NOT NULL CHECK (kind IN ('like', 'helpful', 'insightful')),
				created_at timestamptz NOT NULL DEFAULT now(),
				PRIMARY KEY (post_id, user_id, kind)
			)`);
		await query(`CREATE INDEX reactions_user_idx ON "${schema}".reactions (user_id)`);

		await query(`
			CREATE TABLE "${schema}".comments (
				id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
				post_id uuid NOT NULL REFERENCES "${schema}".posts (id) ON DELETE CASCADE,
				parent_id uuid REFERENCES "${schema}".comments (id) ON DELETE CASCADE,
				depth smallint NOT NULL CHECK (depth BETWEEN 1 AND 3),
				author_id uuid,
				content text NOT NULL,
				html text NOT NULL,
				deleted_at timestamptz,
				created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
				updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
			)`);
		await query(`CREATE INDEX comments_post_idx ON "${schema}".comments (post_id, created_at)`);
		await query(`CREATE INDEX comments_author_idx ON "${schema}".comments (author_id)`);
	}
};
