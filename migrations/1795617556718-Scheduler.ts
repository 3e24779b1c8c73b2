import { MigrationInterface, QueryRunner } from 'typeorm';

export class Scheduler1795617556718 implements MigrationInterface {
  name = 'Scheduler1795617556718';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "social_accounts" (
                "id" uuid NOT NULL,
                "owner_id" uuid NOT NULL,
                "platform" character varying(16) NOT NULL,
                "external_id" character varying(255),
                "display_name" character varying(255) NOT NULL,
                "instance_url" character varying(2048),
                "webhook_url" character varying(2048),
                "access_token_enc" text,
                "refresh_token_enc" text,
                "webhook_secret_enc" text,
                "token_expires_at" TIMESTAMP WITH TIME ZONE,
                "status" character varying(16) NOT NULL DEFAULT 'active',
                "last_verified_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e9e58d2d8e9fafa20af914d9750" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_8016061c8ce9bf2e7387916ff3" ON "social_accounts" ("owner_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "posts" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "owner_id" uuid NOT NULL,
                "image_id" uuid NOT NULL,
                "social_account_id" uuid NOT NULL,
                "caption" text NOT NULL DEFAULT '',
                "hashtags" text array NOT NULL DEFAULT '{}',
                "scheduled_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'scheduled',
                "attempts" integer NOT NULL DEFAULT '0',
                "claim_token" character varying(128),
                "awaiting_retry" boolean NOT NULL DEFAULT false,
                "publish_started_at" TIMESTAMP WITH TIME ZONE,
                "external_id" character varying(255),
                "external_url" character varying(2048),
                "error_code" character varying(64),
                "error_message" text,
                "published_at" TIMESTAMP WITH TIME ZONE,
                "idempotency_key" character varying(255),
                "schedule_id" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_posts_owner_idempotency_key" UNIQUE ("owner_id", "idempotency_key"),
                CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d3001ed3c1fbe165f9cdaa0eb8" ON "posts" ("schedule_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_posts_account_image" ON "posts" ("social_account_id", "image_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_posts_owner_created" ON "posts" ("owner_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_posts_status_scheduled_at" ON "posts" ("status", "scheduled_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "post_analytics" (
                "post_id" uuid NOT NULL,
                "likes" integer,
                "comments" integer,
                "shares" integer,
                "impressions" integer,
                "reach" integer,
                "fetched_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_a2c0806ff92792cd95311c53ff6" PRIMARY KEY ("post_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "schedules" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "owner_id" uuid NOT NULL,
                "name" character varying(200) NOT NULL,
                "social_account_id" uuid NOT NULL,
                "frequency" character varying(16) NOT NULL,
                "time_of_day" character varying(5),
                "days_of_week" integer array,
                "day_of_month" integer,
                "cron" character varying(120),
                "time_zone" character varying(64) NOT NULL,
                "folder_id" uuid,
                "tag" character varying(100),
                "caption_template" text NOT NULL DEFAULT '',
                "hashtags" text array NOT NULL DEFAULT '{}',
                "active" boolean NOT NULL DEFAULT true,
                "next_run_at" TIMESTAMP(3) WITH TIME ZONE,
                "last_run_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7e33fc2ea755a5765e3564e66dd" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_schedules_active_next_run" ON "schedules" ("active", "next_run_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_schedules_owner_created" ON "schedules" ("owner_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "schedule_runs" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "schedule_id" uuid NOT NULL,
                "run_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "status" character varying(16) NOT NULL,
                "post_id" uuid,
                "reason" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ef93e91d5380c5f16f34c274af0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_schedule_runs_schedule_run_at" ON "schedule_runs" ("schedule_id", "run_at")
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
            ALTER TABLE "styles"
            ALTER COLUMN "provider_hints"
            SET DEFAULT '{}'::jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "styles"
            ALTER COLUMN "image_operations"
            SET DEFAULT '[]'::jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "social_accounts"
            ADD CONSTRAINT "FK_3232540bc9fcdeceeb731e4ae5c" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "posts"
            ADD CONSTRAINT "FK_b1af88132324949129771c184af" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "posts"
            ADD CONSTRAINT "FK_217fec04790b49d9c346225665e" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "posts"
            ADD CONSTRAINT "FK_23f0d91f07b73d4bb7951566dd5" FOREIGN KEY ("social_account_id") REFERENCES "social_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "post_analytics"
            ADD CONSTRAINT "FK_a2c0806ff92792cd95311c53ff6" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "schedules"
            ADD CONSTRAINT "FK_52f3a77ce7fc99ede093968b89d" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "schedules"
            ADD CONSTRAINT "FK_f114e6a6a81416f3ff439cfb980" FOREIGN KEY ("social_account_id") REFERENCES "social_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "schedule_runs"
            ADD CONSTRAINT "FK_6da9e9ef293587b64bbe6dd9b1f" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "schedule_runs" DROP CONSTRAINT "FK_6da9e9ef293587b64bbe6dd9b1f"
        `);
    await queryRunner.query(`
            ALTER TABLE "schedules" DROP CONSTRAINT "FK_f114e6a6a81416f3ff439cfb980"
        `);
    await queryRunner.query(`
            ALTER TABLE "schedules" DROP CONSTRAINT "FK_52f3a77ce7fc99ede093968b89d"
        `);
    await queryRunner.query(`
            ALTER TABLE "post_analytics" DROP CONSTRAINT "FK_a2c0806ff92792cd95311c53ff6"
        `);
    await queryRunner.query(`
            ALTER TABLE "posts" DROP CONSTRAINT "FK_23f0d91f07b73d4bb7951566dd5"
        `);
    await queryRunner.query(`
            ALTER TABLE "posts" DROP CONSTRAINT "FK_217fec04790b49d9c346225665e"
        `);
    await queryRunner.query(`
            ALTER TABLE "posts" DROP CONSTRAINT "FK_b1af88132324949129771c184af"
        `);
    await queryRunner.query(`
            ALTER TABLE "social_accounts" DROP CONSTRAINT "FK_3232540bc9fcdeceeb731e4ae5c"
        `);
    await queryRunner.query(`
            ALTER TABLE "styles"
            ALTER COLUMN "image_operations"
            SET DEFAULT '[]'
        `);
    await queryRunner.query(`
            ALTER TABLE "styles"
            ALTER COLUMN "provider_hints"
            SET DEFAULT '{}'
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
            DROP INDEX "public"."uq_schedule_runs_schedule_run_at"
        `);
    await queryRunner.query(`
            DROP TABLE "schedule_runs"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_schedules_owner_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_schedules_active_next_run"
        `);
    await queryRunner.query(`
            DROP TABLE "schedules"
        `);
    await queryRunner.query(`
            DROP TABLE "post_analytics"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_posts_status_scheduled_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_posts_owner_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_posts_account_image"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d3001ed3c1fbe165f9cdaa0eb8"
        `);
    await queryRunner.query(`
            DROP TABLE "posts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_8016061c8ce9bf2e7387916ff3"
        `);
    await queryRunner.query(`
            DROP TABLE "social_accounts"
        `);
  }
}
