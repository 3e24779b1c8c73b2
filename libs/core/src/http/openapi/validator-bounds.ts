import { DECORATORS } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

interface ValidatorMetadata {
  target: unknown;
  propertyName: string;
  name?: string;
  constraints?: unknown[];
  each?: boolean;
}

/** class-validator's decorators and the JSON Schema keywords that state the same bound. */
const KEYWORDS: Record<string, (constraints: unknown[]) => Record<string, unknown>> = {
  maxLength: ([max]) => ({ maxLength: max }),
  minLength: ([min]) => ({ minLength: min }),
  isLength: ([min, max]) => ({ minLength: min, ...(max === undefined ? {} : { maxLength: max }) }),
  max: ([max]) => ({ maximum: max }),
  min: ([min]) => ({ minimum: min }),
  arrayMaxSize: ([max]) => ({ maxItems: max }),
  arrayMinSize: ([min]) => ({ minItems: min }),
  isInt: () => ({ type: 'integer' }),
};

/**
 * Copies the bounds class-validator enforces into the swagger metadata of the same properties, so
 * the document shows what the API checks (the role @nestjs/swagger's compiler plugin plays in
 * `nest build`, which this repo does not use). Only properties already documented are touched.
 */
export function exposeValidatorBounds(): void {
  for (const metadata of registeredValidators()) {
    const keywords = metadata.name && !metadata.each ? KEYWORDS[metadata.name] : undefined;
    if (!keywords || typeof metadata.target !== 'function') continue;
    const prototype: object = metadata.target.prototype;
    const key = metadata.propertyName;
    const existing: unknown = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, key);
    if (!existing || typeof existing !== 'object') continue;
    Reflect.defineMetadata(
      DECORATORS.API_MODEL_PROPERTIES,
      { ...existing, ...keywords(metadata.constraints ?? []) },
      prototype,
      key,
    );
  }
}

/** class-validator keeps its registry private; class-validator-jsonschema reads it the same way. */
function registeredValidators(): ValidatorMetadata[] {
  const byTarget: unknown = Reflect.get(getMetadataStorage(), 'validationMetadatas');
  return isMap(byTarget) ? [...byTarget.values()].flat() : [];
}

/** Duck-typed: under Jest the registry's Map comes from another realm, so `instanceof` fails. */
function isMap(value: unknown): value is Map<unknown, ValidatorMetadata[]> {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'values') === 'function';
}
