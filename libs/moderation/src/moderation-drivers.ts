import type { Type } from '@nestjs/common';
import type { Env } from '@atelier/core';
import { NoneModerationDriver } from './drivers/none.moderation-driver';
import { RekognitionModerationDriver } from './drivers/rekognition.moderation-driver';
import type { ModerationDriver } from './moderation-driver';

/** Moderation drivers by name (MODERATION_DRIVER). Adding one: a class in drivers/ and a line here. */
export const MODERATION_DRIVERS: Partial<Record<Env['MODERATION_DRIVER'], Type<ModerationDriver>>> = {
  none: NoneModerationDriver,
  rekognition: RekognitionModerationDriver,
};
