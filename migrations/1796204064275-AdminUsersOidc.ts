import { MigrationInterface, QueryRunner } from 'typeorm';

export class AdminUsersOidc1796204064275 implements MigrationInterface {
  name = 'AdminUsersOidc1796204064275';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "admin_audit_log" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "actor_id" uuid NOT NULL,
                "action" text NOT NULL,
                "target_user_id" uuid,
                "details" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9425be48a9c753f5753017c61b2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_admin_audit_target" ON "admin_audit_log" ("target_user_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_admin_audit_recent" ON "admin_audit_log" ("created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "deactivated_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "oidc_issuer" text
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "oidc_subject" text
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_users_oidc_identity" ON "users" ("oidc_issuer", "oidc_subject")
            WHERE oidc_subject IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_users_created" ON "users" ("created_at", "id")
            WHERE deleted_at IS NULL
        `);
    // Admin search is a substring match (ILIKE '%…%'): only trigram indexes serve it.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "idx_users_email_trgm" ON "users" USING gin ("email" gin_trgm_ops) WHERE "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_users_username_trgm" ON "users" USING gin ("username_key" gin_trgm_ops) WHERE "deleted_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_users_username_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."idx_users_email_trgm"`);
    await queryRunner.query(`
            DROP INDEX "public"."idx_users_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_users_oidc_identity"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "oidc_subject"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "oidc_issuer"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "deactivated_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_admin_audit_recent"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_admin_audit_target"
        `);
    await queryRunner.query(`
            DROP TABLE "admin_audit_log"
        `);
  }
}
