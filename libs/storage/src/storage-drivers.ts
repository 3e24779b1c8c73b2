import type { Type } from '@nestjs/common';
import { LocalStorageDriver } from './drivers/local.storage-driver';
import { S3StorageDriver } from './drivers/s3.storage-driver';
import type { StorageDriver, StorageDriverName } from './storage-driver';

/** Every storage driver by name (STORAGE_DRIVER). Adding one: a class in drivers/ and a line here. */
export const STORAGE_DRIVERS: Record<StorageDriverName, Type<StorageDriver>> = {
  local: LocalStorageDriver,
  s3: S3StorageDriver,
};
