import { MigrationInterface, QueryRunner } from 'typeorm';

export class Moderation1795617535839 implements MigrationInterface {
  name = 'Moderation1795617535839';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "moderation_audits" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "image_id" uuid NOT NULL,
                "admin_id" uuid,
                "from_state" text NOT NULL,
                "to_state" text NOT NULL,
                "reason" character varying(1000),
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e219ef91d1ab8c3f321994a3ce6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_20df0fefb6d8909a8bb02024ce" ON "moderation_audits" ("image_id", "created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "images"
            ALTER COLUMN "params"
            SET DEFAULT '{}'::jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "images"
            ALTER COLUMN "moderation_labels"
            SET DEFAULT '[]'::jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "moderation_audits"
            ADD CONSTRAINT "FK_0d84f5506bac1790f973eb726a5" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "moderation_audits"
            ADD CONSTRAINT "FK_8d6205ce4011e0d72c9d27308f8" FOREIGN KEY ("admin_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "moderation_audits" DROP CONSTRAINT "FK_8d6205ce4011e0d72c9d27308f8"
        `);
    await queryRunner.query(`
            ALTER TABLE "moderation_audits" DROP CONSTRAINT "FK_0d84f5506bac1790f973eb726a5"
        `);
    await queryRunner.query(`
            ALTER TABLE "images"
            ALTER COLUMN "moderation_labels"
            SET DEFAULT '[]'
        `);
    await queryRunner.query(`
            ALTER TABLE "images"
            ALTER COLUMN "params"
            SET DEFAULT '{}'
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_20df0fefb6d8909a8bb02024ce"
        `);
    await queryRunner.query(`
            DROP TABLE "moderation_audits"
        `);
  }
}
