import { MigrationInterface, QueryRunner } from 'typeorm';

export class Images1795617529287 implements MigrationInterface {
  name = 'Images1795617529287';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "folders" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "owner_id" uuid NOT NULL,
                "name" text NOT NULL,
                "is_default" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8578bd31b0e7f6d6c2480dbbca8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_folders_owner_default" ON "folders" ("owner_id")
            WHERE is_default
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_folders_owner_name" ON "folders" ("owner_id", "name")
        `);
    await queryRunner.query(`
            CREATE TABLE "images" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "owner_id" uuid NOT NULL,
                "folder_id" uuid,
                "title" text,
                "source" text NOT NULL,
                "parent_image_id" uuid,
                "job_id" uuid,
                "job_index" integer,
                "prompt" text,
                "negative_prompt" text,
                "provider" text,
                "model" text,
                "style_id" text,
                "params" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "width" integer NOT NULL,
                "height" integer NOT NULL,
                "mime" text NOT NULL,
                "bytes" integer NOT NULL,
                "sha256" text NOT NULL,
                "original_key" text NOT NULL,
                "thumbnail_key" text,
                "status" text NOT NULL DEFAULT 'generated',
                "validation_notes" text,
                "moderation_state" text NOT NULL DEFAULT 'pending',
                "moderation_labels" jsonb NOT NULL DEFAULT '[]'::jsonb,
                "is_public" boolean NOT NULL DEFAULT false,
                "shared_at" TIMESTAMP WITH TIME ZONE,
                "favorites_count" integer NOT NULL DEFAULT '0',
                "rating_avg" double precision NOT NULL DEFAULT '0',
                "rating_count" integer NOT NULL DEFAULT '0',
                "downloads_count" integer NOT NULL DEFAULT '0',
                "search_text" text NOT NULL DEFAULT '',
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "chk_images_job_index" CHECK (
                    job_index IS NULL
                    OR job_index >= 0
                ),
                CONSTRAINT "PK_1fe148074c6a1a91b63cb9ee3c9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_images_parent" ON "images" ("parent_image_id")
            WHERE parent_image_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_images_job_result" ON "images" ("job_id", "job_index")
            WHERE job_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_images_gallery_popular" ON "images" ("favorites_count", "id")
            WHERE is_public
                AND deleted_at IS NULL
                AND moderation_state IN ('safe', 'skipped')
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_images_gallery_recent" ON "images" ("created_at", "id")
            WHERE is_public
                AND deleted_at IS NULL
                AND moderation_state IN ('safe', 'skipped')
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_images_folder" ON "images" ("folder_id", "created_at", "id")
            WHERE deleted_at IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_images_owner_status" ON "images" ("owner_id", "status", "created_at", "id")
            WHERE deleted_at IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_images_owner_recent" ON "images" ("owner_id", "created_at", "id")
            WHERE deleted_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "image_tags" (
                "image_id" uuid NOT NULL,
                "tag" text NOT NULL,
                "owner_id" uuid NOT NULL,
                CONSTRAINT "PK_43b7cf795180ec74e74bed11eec" PRIMARY KEY ("image_id", "tag")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_image_tags_owner" ON "image_tags" ("owner_id", "tag")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_image_tags_tag" ON "image_tags" ("tag", "image_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "image_favorites" (
                "user_id" uuid NOT NULL,
                "image_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d731adcc1c70f065fc7edb56322" PRIMARY KEY ("user_id", "image_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_image_favorites_image" ON "image_favorites" ("image_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "image_ratings" (
                "user_id" uuid NOT NULL,
                "image_id" uuid NOT NULL,
                "score" smallint NOT NULL,
                "comment" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "chk_image_ratings_score" CHECK (
                    score BETWEEN 1 AND 5
                ),
                CONSTRAINT "PK_cdfe2f86e76d6dc0a6623fffcad" PRIMARY KEY ("user_id", "image_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_image_ratings_image" ON "image_ratings" ("image_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "folders"
            ADD CONSTRAINT "FK_ecee72de3b100ef0bbebe47f3c4" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "images"
            ADD CONSTRAINT "FK_89b9838539e754a5a5be3b5d265" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "images"
            ADD CONSTRAINT "FK_0670e1fcfb94d5c45ad13abe512" FOREIGN KEY ("folder_id") REFERENCES "folders"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "images"
            ADD CONSTRAINT "FK_939839e26d72868cc2a24cf5055" FOREIGN KEY ("parent_image_id") REFERENCES "images"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "image_tags"
            ADD CONSTRAINT "FK_4582d56b8bf1f9bc2d1505b7faa" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "image_favorites"
            ADD CONSTRAINT "FK_6c63cdac79ef1f73e4800d74cfe" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "image_favorites"
            ADD CONSTRAINT "FK_9e8a922fecd2ecd3dee4cf51629" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "image_ratings"
            ADD CONSTRAINT "FK_54a362f5862530c0f3880bd011c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "image_ratings"
            ADD CONSTRAINT "FK_4800e49647e3c37022cd2202cd1" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // Gallery and library search: `search_text ILIKE '%word%'` answered from a trigram index
    // together with the (created_at, id) partial btrees above (see DESIGN.md "Data").
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "idx_images_search_trgm" ON "images" USING gin ("search_text" gin_trgm_ops) WHERE "deleted_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_images_search_trgm"`);
    await queryRunner.query(`
            ALTER TABLE "image_ratings" DROP CONSTRAINT "FK_4800e49647e3c37022cd2202cd1"
        `);
    await queryRunner.query(`
            ALTER TABLE "image_ratings" DROP CONSTRAINT "FK_54a362f5862530c0f3880bd011c"
        `);
    await queryRunner.query(`
            ALTER TABLE "image_favorites" DROP CONSTRAINT "FK_9e8a922fecd2ecd3dee4cf51629"
        `);
    await queryRunner.query(`
            ALTER TABLE "image_favorites" DROP CONSTRAINT "FK_6c63cdac79ef1f73e4800d74cfe"
        `);
    await queryRunner.query(`
            ALTER TABLE "image_tags" DROP CONSTRAINT "FK_4582d56b8bf1f9bc2d1505b7faa"
        `);
    await queryRunner.query(`
            ALTER TABLE "images" DROP CONSTRAINT "FK_939839e26d72868cc2a24cf5055"
        `);
    await queryRunner.query(`
            ALTER TABLE "images" DROP CONSTRAINT "FK_0670e1fcfb94d5c45ad13abe512"
        `);
    await queryRunner.query(`
            ALTER TABLE "images" DROP CONSTRAINT "FK_89b9838539e754a5a5be3b5d265"
        `);
    await queryRunner.query(`
            ALTER TABLE "folders" DROP CONSTRAINT "FK_ecee72de3b100ef0bbebe47f3c4"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_image_ratings_image"
        `);
    await queryRunner.query(`
            DROP TABLE "image_ratings"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_image_favorites_image"
        `);
    await queryRunner.query(`
            DROP TABLE "image_favorites"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_image_tags_tag"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_image_tags_owner"
        `);
    await queryRunner.query(`
            DROP TABLE "image_tags"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_images_owner_recent"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_images_owner_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_images_folder"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_images_gallery_recent"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_images_gallery_popular"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_images_job_result"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_images_parent"
        `);
    await queryRunner.query(`
            DROP TABLE "images"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_folders_owner_name"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_folders_owner_default"
        `);
    await queryRunner.query(`
            DROP TABLE "folders"
        `);
  }
}
