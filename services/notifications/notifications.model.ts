import { DataTypes, type InferAttributes, type InferCreationAttributes, Model, type ModelStatic, type Sequelize } from "sequelize";

/** The `notifications` table for moleculer-db; the service's own queries are SQL (notification-store.ts). */
export class NotificationModel extends Model<InferAttributes<NotificationModel>, InferCreationAttributes<NotificationModel>> {
	declare id: string;
	declare recipientId: string;
	declare type: string;
	declare readAt: Date | null;
	declare createdAt: Date;
}

export function defineNotificationModel(sequelize: Sequelize, schema: string): ModelStatic<NotificationModel> {
	// A fresh subclass per Sequelize instance: Sequelize binds a model class to one instance.
	class Notification extends NotificationModel {}
	Notification.init(
		{
			id: { type: DataTypes.UUID, primaryKey: true },
			recipientId: { type: DataTypes.UUID, allowNull: false },
			type: { type: DataTypes.STRING(64), allowNull: false },
			readAt: { type: DataTypes.DATE, allowNull: true },
			createdAt: DataTypes.DATE
		},
		{ sequelize, schema, tableName: "notifications", modelName: "Notification", underscored: true, updatedAt: false }
	);
	return Notification;
}
