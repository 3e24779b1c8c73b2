import { ParseUUIDPipe } from '@nestjs/common';
import { styleNotFound } from './styles.errors';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A style id in a path: anything but a UUID cannot name a style, so it is a plain 404. */
export const StyleIdPipe = new ParseUUIDPipe({ exceptionFactory: () => styleNotFound() });
