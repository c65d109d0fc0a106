import { DataTypes, Model, type ModelStatic, type Sequelize } from "sequelize";

/** Maps `audit_events` (created by migrations; append-only, enforced by a trigger). */
export function defineAuditEventModel(sequelize: Sequelize, schema: string): ModelStatic<Model> {
	class AuditEvent extends Model {}
	AuditEvent.init(
		{
			eventId: { type: DataTypes.UUID, primaryKey: true },
			type: DataTypes.STRING(100),
			producer: DataTypes.STRING(50),
			aggregateId: DataTypes.STRING(100),
			actorId: DataTypes.UUID,
			occurredAt: DataTypes.DATE,
			payload: DataTypes.JSONB,
			recordedAt: DataTypes.DATE
		},
		{ sequelize, schema, tableName: "audit_events", modelName: "AuditEvent", underscored: true, timestamps: false }
	);
	return AuditEvent;
}
