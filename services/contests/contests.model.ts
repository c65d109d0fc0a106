import {
	DataTypes,
	type InferAttributes,
	type InferCreationAttributes,
	Model,
	type CreationOptional,
	type ModelStatic,
	type Sequelize
} from "sequelize";
import type { Scoring } from "./contests.types";

export class ContestModel extends Model<InferAttributes<ContestModel>, InferCreationAttributes<ContestModel>> {
	declare id: CreationOptional<string>;
	declare title: string;
	declare description: string;
	declare startsAt: Date;
	declare endsAt: Date;
	declare scoring: Scoring;
	declare groupId: string | null;
	declare freezeMinutes: number | null;
	declare rated: CreationOptional<boolean>;
	/** Null: an individual contest; set: teams of at most this many compete. */
	declare teamMaxSize: CreationOptional<number | null>;
	declare organiserId: string;
	declare startedEventAt: CreationOptional<Date | null>;
	declare endedEventAt: CreationOptional<Date | null>;
	declare cancelledAt: CreationOptional<Date | null>;
	declare archivedAt: CreationOptional<Date | null>;
	declare createdAt: CreationOptional<Date>;
	declare updatedAt: CreationOptional<Date>;
}

/** Maps the `contests` table (created by migrations, never synced). */
export function defineContestModel(sequelize: Sequelize, schema: string): ModelStatic<ContestModel> {
	// A fresh subclass per Sequelize instance: Sequelize binds a model class to one instance.
	class Contest extends ContestModel {}
	Contest.init(
		{
			id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
			title: { type: DataTypes.STRING(200), allowNull: false },
			description: { type: DataTypes.TEXT, allowNull: false, defaultValue: "" },
			startsAt: { type: DataTypes.DATE, allowNull: false },
			endsAt: { type: DataTypes.DATE, allowNull: false },
			scoring: { type: DataTypes.STRING(8), allowNull: false },
			groupId: { type: DataTypes.UUID, allowNull: true },
			freezeMinutes: { type: DataTypes.INTEGER, allowNull: true },
			rated: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
			teamMaxSize: { type: DataTypes.INTEGER, allowNull: true },
			organiserId: { type: DataTypes.UUID, allowNull: false },
			startedEventAt: { type: DataTypes.DATE, allowNull: true },
			endedEventAt: { type: DataTypes.DATE, allowNull: true },
			cancelledAt: { type: DataTypes.DATE, allowNull: true },
			archivedAt: { type: DataTypes.DATE, allowNull: true },
			createdAt: DataTypes.DATE,
			updatedAt: DataTypes.DATE
		},
		{ sequelize, schema, tableName: "contests", modelName: "Contest", underscored: true }
	);
	return Contest;
}
