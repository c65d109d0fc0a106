import {
	DataTypes,
	type InferAttributes,
	type InferCreationAttributes,
	Model,
	type CreationOptional,
	type ModelStatic,
	type Sequelize
} from "sequelize";
import type { Category, PostStatus } from "./posts.types";

export class PostModel extends Model<InferAttributes<PostModel>, InferCreationAttributes<PostModel>> {
	declare id: CreationOptional<string>;
	declare slug: string;
	declare title: string;
	declare content: string;
	declare html: string;
	declare excerpt: string;
	declare category: Category;
	declare tags: string[];
	declare status: PostStatus;
	declare groupId: string | null;
	declare groupPrivate: CreationOptional<boolean>;
	declare authorId: string;
	declare readingTimeMinutes: number;
	declare viewCount: CreationOptional<number>;
	/** Counters move in the same transaction as the reaction or comment rows they count. */
	declare likeCount: CreationOptional<number>;
	declare helpfulCount: CreationOptional<number>;
	declare insightfulCount: CreationOptional<number>;
	declare commentCount: CreationOptional<number>;
	declare publishedAt: Date | null;
	declare createdAt: CreationOptional<Date>;
	declare updatedAt: CreationOptional<Date>;
}

/** Maps the `posts` table (created by migrations, never synced; `search` is the trigger's). */
export function definePostModel(sequelize: Sequelize, schema: string): ModelStatic<PostModel> {
	// A fresh subclass per Sequelize instance: Sequelize binds a model class to one instance.
	class Post extends PostModel {}
	Post.init(
		{
			id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
			slug: { type: DataTypes.STRING(220), allowNull: false },
			title: { type: DataTypes.STRING(200), allowNull: false },
			content: { type: DataTypes.TEXT, allowNull: false },
			html: { type: DataTypes.TEXT, allowNull: false },
			excerpt: { type: DataTypes.STRING(300), allowNull: false },
			category: { type: DataTypes.STRING(32), allowNull: false },
			tags: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] },
			status: { type: DataTypes.STRING(10), allowNull: false },
			groupId: { type: DataTypes.UUID, allowNull: true },
			groupPrivate: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
			authorId: { type: DataTypes.UUID, allowNull: false },
			readingTimeMinutes: { type: DataTypes.INTEGER, allowNull: false },
			// bigint arrives as a string from pg; counts stay well inside a double.
			viewCount: {
				type: DataTypes.BIGINT,
				allowNull: false,
				defaultValue: 0,
				get() {
					return Number(this.getDataValue("viewCount"));
				}
			},
			likeCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			helpfulCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			insightfulCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			commentCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			publishedAt: { type: DataTypes.DATE, allowNull: true },
			createdAt: DataTypes.DATE,
			updatedAt: DataTypes.DATE
		},
		{ sequelize, schema, tableName: "posts", modelName: "Post", underscored: true }
	);
	return Post;
}
