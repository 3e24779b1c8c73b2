import { ProblemException } from '@atelier/core';

export const StyleErrorCode = {
  NotFound: 'style_not_found',
  CategoryNotFound: 'style_category_not_found',
  ExampleNotFound: 'style_example_not_found',
  SlugTaken: 'style_slug_taken',
  CategorySlugTaken: 'style_category_slug_taken',
  CategoryNotEmpty: 'style_category_not_empty',
  InUse: 'style_in_use',
  PlanForbids: 'plan_forbids',
} as const;
export type StyleErrorCode = (typeof StyleErrorCode)[keyof typeof StyleErrorCode];

export const styleNotFound = () =>
  ProblemException.notFound(StyleErrorCode.NotFound, 'Style not found or no longer available.');

export const categoryNotFound = () =>
  ProblemException.notFound(StyleErrorCode.CategoryNotFound, 'Style category not found.');

export const exampleNotFound = () =>
  ProblemException.notFound(StyleErrorCode.ExampleNotFound, 'Style example not found.');

export const planForbidsStyle = () =>
  ProblemException.forbidden(
    StyleErrorCode.PlanForbids,
    'This style is for premium plans. Upgrade your plan or pick another style.',
  );
