import { ProblemException } from '@atelier/core';

/** Problem codes of the model and workflow catalogue. */
export const CatalogErrorCode = {
  ModelNotFound: 'model_not_found',
  ModelNameTaken: 'model_name_taken',
  WorkflowNotFound: 'workflow_not_found',
  WorkflowNameTaken: 'workflow_name_taken',
  PlanForbids: 'plan_forbids',
  ValidationFailed: 'validation_failed',
} as const;

export const modelNotFound = () =>
  ProblemException.notFound(CatalogErrorCode.ModelNotFound, 'Model not found.');
export const workflowNotFound = () =>
  ProblemException.notFound(CatalogErrorCode.WorkflowNotFound, 'Workflow not found.');
