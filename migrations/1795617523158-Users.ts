import { MigrationInterface, QueryRunner } from 'typeorm';

export class Users1795617523158 implements MigrationInterface {
  name = 'Users1795617523158';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "plans" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "slug" text NOT NULL,
                "name" text NOT NULL,
                "price_cents" integer NOT NULL DEFAULT '0',
                "daily_generations" integer NOT NULL,
                "daily_edits" integer NOT NULL,
                "daily_uploads" integer NOT NULL,
                "max_image_side" integer NOT NULL DEFAULT '1024',
                "allowed_providers" text array NOT NULL DEFAULT '{}',
                "concurrency" integer NOT NULL DEFAULT '1',
                "queue_priority" integer NOT NULL DEFAULT '5',
                "premium" boolean NOT NULL DEFAULT false,
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_e7b71bb444e74ee067df057397e" UNIQUE ("slug"),
                CONSTRAINT "PK_3720521a81c7c24fe9b7202ba61" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "email" text NOT NULL,
                "username" text NOT NULL,
                "username_key" text NOT NULL,
                "password_hash" text,
                "display_name" text NOT NULL DEFAULT '',
                "bio" text NOT NULL DEFAULT '',
                "preferences" jsonb NOT NULL DEFAULT '{}',
                "social_handles" jsonb NOT NULL DEFAULT '{}',
                "avatar_key" text,
                "role" text NOT NULL DEFAULT 'user',
                "email_verified_at" TIMESTAMP WITH TIME ZONE,
                "plan_id" uuid,
                "external_id" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"),
                CONSTRAINT "UQ_43f388ec81c5e6e796845dad903" UNIQUE ("username_key"),
                CONSTRAINT "UQ_11fc776e0ca3573dc195670f636" UNIQUE ("external_id"),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_bc1cd381147462a1c604b425f7" ON "users" ("plan_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "quota_usage" (
                "user_id" uuid NOT NULL,
                "day" date NOT NULL,
                "kind" text NOT NULL,
                "used" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_b6d79aa33534f88914a7c24f8d6" PRIMARY KEY ("user_id", "day", "kind")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "user_tokens" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "user_id" uuid NOT NULL,
                "purpose" text NOT NULL,
                "token_hash" text NOT NULL,
                "email" text,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_ebdd918653813b59cdd5d379b5b" UNIQUE ("token_hash"),
                CONSTRAINT "PK_63764db9d9aaa4af33e07b2f4bf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9e144a67be49e5bba91195ef5d" ON "user_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "refresh_tokens" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "user_id" uuid NOT NULL,
                "family_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "rotated_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"),
                CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3ddc983c5f7bcf132fd8732c3f" ON "refresh_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d5e27da0cd39bc3bb2811fc8ba" ON "refresh_tokens" ("family_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "FK_bc1cd381147462a1c604b425f7a" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "FK_bc1cd381147462a1c604b425f7a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d5e27da0cd39bc3bb2811fc8ba"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3ddc983c5f7bcf132fd8732c3f"
        `);
    await queryRunner.query(`
            DROP TABLE "refresh_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9e144a67be49e5bba91195ef5d"
        `);
    await queryRunner.query(`
            DROP TABLE "user_tokens"
        `);
    await queryRunner.query(`
            DROP TABLE "quota_usage"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_bc1cd381147462a1c604b425f7"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP TABLE "plans"
        `);
  }
}
