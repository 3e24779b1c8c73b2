import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobStats1795618340220 implements MigrationInterface {
  name = 'JobStats1795618340220';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "job_stats_daily" (
                "owner_id" uuid NOT NULL,
                "day" date NOT NULL,
                "provider" text NOT NULL,
                "type" text NOT NULL,
                "succeeded" integer NOT NULL DEFAULT '0',
                "failed" integer NOT NULL DEFAULT '0',
                "cancelled" integer NOT NULL DEFAULT '0',
                "images" integer NOT NULL DEFAULT '0',
                "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_job_stats_daily" PRIMARY KEY ("owner_id", "day", "provider", "type")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_jobs_finished" ON "jobs" ("finished_at")
            WHERE "finished_at" IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."idx_jobs_finished"
        `);
    await queryRunner.query(`
            DROP TABLE "job_stats_daily"
        `);
  }
}
