import { type FieldError, ProblemException } from '@atelier/core';

/** Problem codes of the model and workflow catalogue. */
export const CatalogErrorCode = {
  ModelNotFound: 'model_not_found',
  ModelNameTaken: 'model_name_taken',
  WorkflowNotFound: 'workflow_not_found',
  WorkflowNameTaken: 'workflow_name_taken',
  PlanForbids: 'plan_forbids',
} as const;

/** `validation_failed` for workflow parameters; the checker's messages read on from the field name. */
export const invalidWorkflowFields = (errors: FieldError[]) =>
  ProblemException.validationFailed(errors, errors.map((e) => `${e.field} ${e.message}`).join('; '));

export const modelNotFound = () =>
  ProblemException.notFound(CatalogErrorCode.ModelNotFound, 'Model not found.');
export const workflowNotFound = () =>
  ProblemException.notFound(CatalogErrorCode.WorkflowNotFound, 'Workflow not found.');
