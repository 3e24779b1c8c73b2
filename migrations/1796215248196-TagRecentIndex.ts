import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gallery's `tag=` as one index walk: image_tags carries its image's created_at (copied by a
 * trigger, so every writer, bulk loads included, keeps it right) and is indexed by (tag,
 * image_created_at, image_id). Before, a common tag was a hash semi-join over every row with
 * that tag; a rare one walked the whole recency index.
 */
export class TagRecentIndex1796215248196 implements MigrationInterface {
  name = 'TagRecentIndex1796215248196';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "image_tags" ADD "image_created_at" TIMESTAMP(3) WITH TIME ZONE
        `);
    await queryRunner.query(`
            UPDATE "image_tags" t SET "image_created_at" = i."created_at" FROM "images" i WHERE i."id" = t."image_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "image_tags" ALTER COLUMN "image_created_at" SET NOT NULL
        `);
    await queryRunner.query(`
            CREATE FUNCTION image_tags_image_created_at() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.image_created_at := (SELECT created_at FROM images WHERE id = NEW.image_id);
              RETURN NEW;
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER image_tags_image_created_at BEFORE INSERT OR UPDATE OF image_id ON "image_tags"
            FOR EACH ROW EXECUTE FUNCTION image_tags_image_created_at()
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_image_tags_tag"
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_image_tags_tag_recent" ON "image_tags" ("tag", "image_created_at", "image_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."idx_image_tags_tag_recent"
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_image_tags_tag" ON "image_tags" ("tag", "image_id")
        `);
    await queryRunner.query(`
            DROP TRIGGER image_tags_image_created_at ON "image_tags"
        `);
    await queryRunner.query(`
            DROP FUNCTION image_tags_image_created_at()
        `);
    await queryRunner.query(`
            ALTER TABLE "image_tags" DROP COLUMN "image_created_at"
        `);
  }
}
