import type { JobParams } from '../jobs/job.entity';
import type { PreparedWorkflow } from './workflow-catalog';

/**
 * What a workflow job records in `params.workflow`: the values it runs with (drawn ones
 * included, so the result can be reproduced), what the user supplied (a retry resubmits that,
 * drawing new random values), and which parameters are image ids to upload at run time.
 */
export interface WorkflowJobSpec {
  supplied: Record<string, unknown>;
  values: Record<string, unknown>;
  drawn: Record<string, number>;
  images: { name: string; imageId: string }[];
  outputNodeId: string;
}

/** The job's stored params for a prepared workflow; width/height/seed mirror the values when present. */
export function workflowJobParams(prepared: PreparedWorkflow, supplied: object): JobParams {
  const numberValue = (name: string): number | undefined => {
    const value = prepared.values[name];
    return typeof value === 'number' ? value : undefined;
  };
  const workflow: WorkflowJobSpec = {
    supplied: { ...supplied },
    values: prepared.values,
    drawn: prepared.drawn,
    images: prepared.imageParams,
    outputNodeId: prepared.outputNodeId,
  };
  return {
    width: numberValue('width') ?? 0,
    height: numberValue('height') ?? 0,
    n: 1,
    outputFormat: 'png',
    ...(numberValue('seed') !== undefined ? { seed: numberValue('seed') } : {}),
    workflow,
  };
}

export function workflowSpecOf(params: JobParams): WorkflowJobSpec | undefined {
  const spec = params.workflow as WorkflowJobSpec | undefined;
  return spec && typeof spec === 'object' && spec.values ? spec : undefined;
}
