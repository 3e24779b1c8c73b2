import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobWebhooks1796207033298 implements MigrationInterface {
  name = 'JobWebhooks1796207033298';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "jobs"
            ADD "webhook_url" text
        `);
    await queryRunner.query(`
            ALTER TABLE "jobs"
            ADD "webhook_events" text array NOT NULL DEFAULT '{}'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "jobs" DROP COLUMN "webhook_events"
        `);
    await queryRunner.query(`
            ALTER TABLE "jobs" DROP COLUMN "webhook_url"
        `);
  }
}
