import { ParseUUIDPipe } from '@nestjs/common';
import { styleNotFound } from './styles.errors';

/** A style id in a path: anything but a UUID cannot name a style, so it is a plain 404. */
export const StyleIdPipe = new ParseUUIDPipe({ exceptionFactory: () => styleNotFound() });
