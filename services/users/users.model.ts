import {
	DataTypes,
	type InferAttributes,
	type InferCreationAttributes,
	Model,
	type CreationOptional,
	type ModelStatic,
	type Sequelize
} from "sequelize";
import type { Role } from "../../lib/auth-types";
import type { Preferences } from "./users.types";

export class UserModel extends Model<InferAttributes<UserModel>, InferCreationAttributes<UserModel>> {
	declare id: CreationOptional<string>;
	declare username: string;
	declare email: string;
	declare displayName: string;
	declare bio: CreationOptional<string>;
	declare avatarUrl: CreationOptional<string | null>;
	declare passwordHash: string;
	declare role: CreationOptional<Role>;
	declare preferences: CreationOptional<Partial<Preferences>>;
	declare createdAt: CreationOptional<Date>;
	declare updatedAt: CreationOptional<Date>;
}

/** Maps the `users` table (created by migrations, never synced). */
export function defineUserModel(sequelize: Sequelize, schema: string): ModelStatic<UserModel> {
	// A fresh subclass per Sequelize instance: Sequelize binds a model class to one instance.
	class User extends UserModel {}
	User.init(
		{
			id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
			username: { type: DataTypes.STRING(32), allowNull: false },
			email: { type: DataTypes.STRING(254), allowNull: false },
			displayName: { type: DataTypes.STRING(80), allowNull: false },
			bio: { type: DataTypes.STRING(1000), allowNull: false, defaultValue: "" },
			avatarUrl: { type: DataTypes.STRING(2048), allowNull: true },
			passwordHash: { type: DataTypes.TEXT, allowNull: false },
			role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "user" },
			preferences: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
			createdAt: DataTypes.DATE,
			updatedAt: DataTypes.DATE
		},
		{ sequelize, schema, tableName: "users", modelName: "User", underscored: true }
	);
	return User;
}
