import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { Env } from '@atelier/core';
import { STORAGE_DRIVERS } from './storage-drivers';
import { STORAGE_DRIVER, StorageService } from './storage.service';
import { UrlSigner } from './url-signer';

/** The object store, global: any lib may inject StorageService. */
@Global()
@Module({
  providers: [
    UrlSigner,
    {
      provide: STORAGE_DRIVER,
      inject: [ConfigService, ModuleRef],
      // Only the configured driver is built (the s3 client is not created for local storage).
      useFactory: (config: ConfigService<Env, true>, moduleRef: ModuleRef) =>
        moduleRef.create(STORAGE_DRIVERS[config.get('STORAGE_DRIVER', { infer: true })]),
    },
    StorageService,
  ],
  exports: [StorageService, UrlSigner],
})
export class StorageModule {}
