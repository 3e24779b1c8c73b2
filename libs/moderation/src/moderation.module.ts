import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { Env } from '@atelier/core';
import { ImagesModule } from '@atelier/images';
import { MODERATION_DRIVERS } from './moderation-drivers';
import { MODERATION_DRIVER, ModerationService } from './moderation.service';

/** The configured moderation driver and the service that applies its verdicts. */
@Module({
  imports: [ImagesModule],
  providers: [
    {
      provide: MODERATION_DRIVER,
      inject: [ConfigService, ModuleRef],
      useFactory: (config: ConfigService<Env, true>, moduleRef: ModuleRef) => {
        const name = config.get('MODERATION_DRIVER', { infer: true });
        const driver = MODERATION_DRIVERS[name];
        if (!driver)
          throw new Error(`MODERATION_DRIVER=${name} has no driver registered in moderation-drivers.ts`);
        return moduleRef.create(driver);
      },
    },
    ModerationService,
  ],
  exports: [ModerationService, MODERATION_DRIVER],
})
export class ModerationModule {}
