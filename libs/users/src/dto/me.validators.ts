import { ValidationOptions, registerDecorator } from 'class-validator';

const HANDLE_NETWORK = /^[a-z][a-z0-9_-]{0,31}$/;

/** At most 20 `network: handle` pairs, each handle a string of at most 100 characters. */
export function IsSocialHandles(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSocialHandles',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: 'socialHandles must map up to 20 network names to handles (≤ 100 characters)',
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          Object.keys(value).length <= 20 &&
          Object.entries(value).every(
            ([network, handle]) =>
              HANDLE_NETWORK.test(network) && typeof handle === 'string' && handle.length <= 100,
          ),
      },
    });
}

/** A JSON value whose serialisation fits in `maxBytes`. */
export function IsSmallJson(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSmallJson',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be at most ${maxBytes} bytes of JSON`, ...options },
      validator: { validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '') <= maxBytes },
    });
}
