import { Injectable } from '@nestjs/common';
import type { ModerationDriver, ModerationResult } from '../moderation-driver';

/** No moderation service configured: every image is `skipped` (and may be shared). */
@Injectable()
export class NoneModerationDriver implements ModerationDriver {
  readonly name = 'none';

  async moderate(): Promise<ModerationResult> {
    return { verdict: 'skipped', labels: [] };
  }
}
