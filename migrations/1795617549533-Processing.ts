import { MigrationInterface, QueryRunner } from 'typeorm';

export class Processing1795617549533 implements MigrationInterface {
  name = 'Processing1795617549533';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "models" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "name" text NOT NULL,
                "provider" text NOT NULL,
                "identifier" text NOT NULL,
                "type" text NOT NULL DEFAULT 'checkpoint',
                "description" text NOT NULL DEFAULT '',
                "parameter_definitions" jsonb NOT NULL DEFAULT '{}',
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_3492c71396207453cf17c0928fb" UNIQUE ("name"),
                CONSTRAINT "PK_ef9ed7160ea69013636466bf2d5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_models_recent" ON "models" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "workflows" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "name" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "type" text NOT NULL,
                "segment" text,
                "model_id" uuid,
                "graph" jsonb NOT NULL,
                "parameter_definitions" jsonb NOT NULL DEFAULT '[]',
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_a911fb2e0cb9ea97b6c39e0708c" UNIQUE ("name"),
                CONSTRAINT "PK_5b5757cc1cd86268019fef52e0c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_workflows_model" ON "workflows" ("model_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_workflows_recent" ON "workflows" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "plan_models" (
                "plan_id" uuid NOT NULL,
                "model_id" uuid NOT NULL,
                CONSTRAINT "PK_afe624ce358428e9acd4fce7d05" PRIMARY KEY ("plan_id", "model_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_plan_models_model" ON "plan_models" ("model_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "plan_workflows" (
                "plan_id" uuid NOT NULL,
                "workflow_id" uuid NOT NULL,
                CONSTRAINT "PK_9088e95aaeb9183f13301be760c" PRIMARY KEY ("plan_id", "workflow_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_plan_workflows_workflow" ON "plan_workflows" ("workflow_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "job_events" (
                "seq" BIGSERIAL NOT NULL,
                "job_id" uuid NOT NULL,
                "type" text NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9222f6a3c85dd46bc8266a53c9c" PRIMARY KEY ("seq")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_job_events_created" ON "job_events" ("created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_job_events_job_seq" ON "job_events" ("job_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "jobs" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "owner_id" uuid NOT NULL,
                "type" text NOT NULL,
                "status" text NOT NULL DEFAULT 'queued',
                "progress" smallint NOT NULL DEFAULT '0',
                "provider" text NOT NULL,
                "model" text,
                "prompt" text NOT NULL DEFAULT '',
                "negative_prompt" text,
                "params" jsonb NOT NULL,
                "style_id" uuid,
                "template_id" uuid,
                "workflow_id" uuid,
                "source_image_id" uuid,
                "mask_image_id" uuid,
                "folder_id" uuid,
                "tags" text array NOT NULL DEFAULT '{}',
                "idempotency_key" text,
                "quota_kind" text NOT NULL,
                "quota_units" integer NOT NULL,
                "quota_day" date NOT NULL,
                "quota_refunded" boolean NOT NULL DEFAULT false,
                "attempts" integer NOT NULL DEFAULT '0',
                "error_code" text,
                "error_message" text,
                "provider_request_id" text,
                "usage" jsonb,
                "result_image_ids" uuid array NOT NULL DEFAULT '{}',
                "queue_priority" smallint NOT NULL DEFAULT '5',
                "retry_of_id" uuid,
                "queued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "lease_expires_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_cf0a6c42b72fcc7f7c237def345" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_jobs_owner_idempotency" ON "jobs" ("owner_id", "idempotency_key")
            WHERE "idempotency_key" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_jobs_status_lease" ON "jobs" ("status", "lease_expires_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_jobs_status_queued" ON "jobs" ("status", "queued_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_jobs_owner_recent" ON "jobs" ("owner_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "templates" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "name" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "job_type" text NOT NULL,
                "provider" text,
                "model" text,
                "default_params" jsonb NOT NULL DEFAULT '{}',
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_5624219dd33b4644599d4d4b231" UNIQUE ("name"),
                CONSTRAINT "PK_515948649ce0bbbe391de702ae5" PRIMARY KEY ("id")
            )
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
            ALTER TABLE "workflows"
            ADD CONSTRAINT "FK_a588bc94ec64f74575fe3b7bbdf" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_models"
            ADD CONSTRAINT "FK_93d96555ab7388c01f797e9d4d8" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_models"
            ADD CONSTRAINT "FK_9e07c0ff1ad368955b9fa3da87c" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_workflows"
            ADD CONSTRAINT "FK_fc490bff40a6d0c965ad37aa13e" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_workflows"
            ADD CONSTRAINT "FK_341f3001eabb5c2c7ede54a9cc7" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "plan_workflows" DROP CONSTRAINT "FK_341f3001eabb5c2c7ede54a9cc7"
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_workflows" DROP CONSTRAINT "FK_fc490bff40a6d0c965ad37aa13e"
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_models" DROP CONSTRAINT "FK_9e07c0ff1ad368955b9fa3da87c"
        `);
    await queryRunner.query(`
            ALTER TABLE "plan_models" DROP CONSTRAINT "FK_93d96555ab7388c01f797e9d4d8"
        `);
    await queryRunner.query(`
            ALTER TABLE "workflows" DROP CONSTRAINT "FK_a588bc94ec64f74575fe3b7bbdf"
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
            DROP TABLE "templates"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_jobs_owner_recent"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_jobs_status_queued"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_jobs_status_lease"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_jobs_owner_idempotency"
        `);
    await queryRunner.query(`
            DROP TABLE "jobs"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_job_events_job_seq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_job_events_created"
        `);
    await queryRunner.query(`
            DROP TABLE "job_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_plan_workflows_workflow"
        `);
    await queryRunner.query(`
            DROP TABLE "plan_workflows"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_plan_models_model"
        `);
    await queryRunner.query(`
            DROP TABLE "plan_models"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_workflows_recent"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_workflows_model"
        `);
    await queryRunner.query(`
            DROP TABLE "workflows"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_models_recent"
        `);
    await queryRunner.query(`
            DROP TABLE "models"
        `);
  }
}
