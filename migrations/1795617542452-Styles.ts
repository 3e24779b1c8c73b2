import { MigrationInterface, QueryRunner } from 'typeorm';

export class Styles1795617542452 implements MigrationInterface {
  name = 'Styles1795617542452';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "style_categories" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "name" character varying(80) NOT NULL,
                "slug" character varying(80) NOT NULL,
                "icon" character varying(80),
                "color" character varying(9),
                "sort_order" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_33f8ae1908ec0b0e0c59e60791a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_24a9d2eaa71da14749106c195a" ON "style_categories" ("slug")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_4de4acb0e178c5d32085aabfc1" ON "style_categories" ("sort_order", "name")
        `);
    await queryRunner.query(`
            CREATE TABLE "styles" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "category_id" uuid NOT NULL,
                "name" character varying(120) NOT NULL,
                "slug" character varying(120) NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "prompt_template" text NOT NULL,
                "default_quality" character varying(16) NOT NULL DEFAULT 'auto',
                "default_background" character varying(16) NOT NULL DEFAULT 'auto',
                "default_output_format" character varying(8) NOT NULL DEFAULT 'png',
                "default_size" character varying(16) NOT NULL DEFAULT '1024x1024',
                "supports_transparency" boolean NOT NULL DEFAULT false,
                "premium" boolean NOT NULL DEFAULT false,
                "active" boolean NOT NULL DEFAULT true,
                "provider_hints" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "image_operations" jsonb NOT NULL DEFAULT '[]'::jsonb,
                "usage_count" integer NOT NULL DEFAULT '0',
                "rating_avg" numeric(4, 3) NOT NULL DEFAULT '0',
                "rating_count" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1f22d2e5045f508c5fce0eb6e86" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_48d880a7b2e8d8616e26449b47" ON "styles" ("slug")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_5f3ac49d46b4abcc2d916fc3a5" ON "styles" ("category_id", "name", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_7ba4ad7f51eb76274ee348e26c" ON "styles" ("active", "name", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "style_examples" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "style_id" uuid NOT NULL,
                "before_image_url" character varying(2048),
                "after_image_url" character varying(2048),
                "before_image_id" uuid,
                "after_image_id" uuid,
                "caption" character varying(300) NOT NULL DEFAULT '',
                "sort_order" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_bef3aef19f23af92f4938347b78" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d5afd53a362c30a0f8b04ad76d" ON "style_examples" ("style_id", "sort_order", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "style_ratings" (
                "user_id" uuid NOT NULL,
                "style_id" uuid NOT NULL,
                "score" smallint NOT NULL,
                "comment" character varying(1000),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_57e8bcdd8258a0433e7858c458" CHECK (
                    "score" BETWEEN 1 AND 5
                ),
                CONSTRAINT "PK_928571c81f6a048ea772361d593" PRIMARY KEY ("user_id", "style_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_468e8fea6d29bd382c0265806a" ON "style_ratings" ("style_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "user_style_preferences" (
                "user_id" uuid NOT NULL,
                "style_id" uuid NOT NULL,
                "favorite" boolean NOT NULL DEFAULT false,
                "usage_count" integer NOT NULL DEFAULT '0',
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c2dee54a89c91cbe49963c2b8ec" PRIMARY KEY ("user_id", "style_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_e82fb722629adec4290aaf5d08" ON "user_style_preferences" ("last_used_at", "style_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_fc4abed3d2b21e4924c84b5138" ON "user_style_preferences" ("user_id", "updated_at", "style_id")
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
            ADD CONSTRAINT "FK_61bae9509a800d50874c95e0047" FOREIGN KEY ("category_id") REFERENCES "style_categories"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "style_examples"
            ADD CONSTRAINT "FK_8ed99d78ea814a8ccdefafef569" FOREIGN KEY ("style_id") REFERENCES "styles"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "style_ratings"
            ADD CONSTRAINT "FK_88749f0665131f6245644b72164" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "style_ratings"
            ADD CONSTRAINT "FK_468e8fea6d29bd382c0265806aa" FOREIGN KEY ("style_id") REFERENCES "styles"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "user_style_preferences"
            ADD CONSTRAINT "FK_a80a4ab4e4bb83f0779bfef4cde" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "user_style_preferences"
            ADD CONSTRAINT "FK_738102bebcca1027207398a6b4b" FOREIGN KEY ("style_id") REFERENCES "styles"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "user_style_preferences" DROP CONSTRAINT "FK_738102bebcca1027207398a6b4b"
        `);
    await queryRunner.query(`
            ALTER TABLE "user_style_preferences" DROP CONSTRAINT "FK_a80a4ab4e4bb83f0779bfef4cde"
        `);
    await queryRunner.query(`
            ALTER TABLE "style_ratings" DROP CONSTRAINT "FK_468e8fea6d29bd382c0265806aa"
        `);
    await queryRunner.query(`
            ALTER TABLE "style_ratings" DROP CONSTRAINT "FK_88749f0665131f6245644b72164"
        `);
    await queryRunner.query(`
            ALTER TABLE "style_examples" DROP CONSTRAINT "FK_8ed99d78ea814a8ccdefafef569"
        `);
    await queryRunner.query(`
            ALTER TABLE "styles" DROP CONSTRAINT "FK_61bae9509a800d50874c95e0047"
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
            DROP INDEX "public"."IDX_fc4abed3d2b21e4924c84b5138"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e82fb722629adec4290aaf5d08"
        `);
    await queryRunner.query(`
            DROP TABLE "user_style_preferences"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_468e8fea6d29bd382c0265806a"
        `);
    await queryRunner.query(`
            DROP TABLE "style_ratings"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d5afd53a362c30a0f8b04ad76d"
        `);
    await queryRunner.query(`
            DROP TABLE "style_examples"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_7ba4ad7f51eb76274ee348e26c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5f3ac49d46b4abcc2d916fc3a5"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_48d880a7b2e8d8616e26449b47"
        `);
    await queryRunner.query(`
            DROP TABLE "styles"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4de4acb0e178c5d32085aabfc1"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_24a9d2eaa71da14749106c195a"
        `);
    await queryRunner.query(`
            DROP TABLE "style_categories"
        `);
  }
}
