import { MigrationInterface, QueryRunner } from 'typeorm';

export class DeletedImagesIndex1795618862804 implements MigrationInterface {
  name = 'DeletedImagesIndex1795618862804';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "idx_images_deleted" ON "images" ("deleted_at")
            WHERE deleted_at IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."idx_images_deleted"
        `);
  }
}
