import {
	DataTypes,
	type InferAttributes,
	type InferCreationAttributes,
	Model,
	type CreationOptional,
	type ModelStatic,
	type Sequelize
} from "sequelize";
import type { JoinPolicy, Visibility } from "./groups.types";

export class GroupModel extends Model<InferAttributes<GroupModel>, InferCreationAttributes<GroupModel>> {
	declare id: CreationOptional<string>;
	declare name: string;
	declare description: CreationOptional<string>;
	declare visibility: Visibility;
	declare joinPolicy: JoinPolicy;
	/** Kept in step with `memberships` inside each membership change's transaction. */
	declare memberCount: CreationOptional<number>;
	declare createdBy: string;
	declare createdAt: CreationOptional<Date>;
	declare updatedAt: CreationOptional<Date>;
}

/** Maps the `groups` table (created by migrations, never synced). */
export function defineGroupModel(sequelize: Sequelize, schema: string): ModelStatic<GroupModel> {
	// A fresh subclass per Sequelize instance: Sequelize binds a model class to one instance.
	class Group extends GroupModel {}
	Group.init(
		{
			id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
			name: { type: DataTypes.STRING(80), allowNull: false },
			description: { type: DataTypes.STRING(2000), allowNull: false, defaultValue: "" },
			visibility: { type: DataTypes.STRING(8), allowNull: false },
			joinPolicy: { type: DataTypes.STRING(8), allowNull: false },
			memberCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			createdBy: { type: DataTypes.UUID, allowNull: false },
			createdAt: DataTypes.DATE,
			updatedAt: DataTypes.DATE
		},
		{ sequelize, schema, tableName: "groups", modelName: "Group", underscored: true }
	);
	return Group;
}
