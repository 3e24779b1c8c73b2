import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { ParamDefinition } from '../../workflows/workflow-params';
import type { WorkflowGraph } from '../../workflows/workflow-template';
import { Workflow } from '../workflow.entity';
import { KIND_PATTERN } from './model.dto';

/** The graph and definitions are checked together by checkDefinitions (errors name each mismatch). */
export class CreateWorkflowDto {
  @ApiProperty({ example: 'Text to image (SDXL)' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @ApiProperty({ example: 'txt2img' })
  @Matches(KIND_PATTERN, { message: 'type must be lowercase letters, digits, _ and -' })
  @MaxLength(40)
  type: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'portrait' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  segment?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  modelId?: string | null;

  @ApiProperty({ type: Object, description: 'ComfyUI API-format graph with {{placeholders}}' })
  @IsObject()
  graph: WorkflowGraph;

  @ApiProperty({ type: [Object], description: 'Typed parameters: name, type, default, required, min, max…' })
  @IsArray()
  parameterDefinitions: ParamDefinition[];

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateWorkflowDto extends PartialType(CreateWorkflowDto) {}

export class WorkflowModelRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class WorkflowSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty() type: string;
  @ApiProperty({ type: WorkflowModelRef, nullable: true }) model: WorkflowModelRef | null;
  @ApiProperty() createdAt: string;

  static of(workflow: Workflow): WorkflowSummaryResponse {
    return {
      id: workflow.id,
      name: workflow.name,
      description: workflow.description,
      type: workflow.type,
      model: workflow.model ? { id: workflow.model.id, name: workflow.model.name } : null,
      createdAt: workflow.createdAt.toISOString(),
    };
  }
}

export class WorkflowResponse extends WorkflowSummaryResponse {
  @ApiProperty({ nullable: true, type: String }) segment: string | null;
  @ApiProperty({ type: [Object] }) parameterDefinitions: ParamDefinition[];
  @ApiPropertyOptional({ type: Object, description: 'Administrators only' }) graph?: WorkflowGraph;
  @ApiProperty() active: boolean;
  @ApiProperty() updatedAt: string;

  /** The graph is the operator's work: only administrators see it. */
  static full(workflow: Workflow, withGraph: boolean): WorkflowResponse {
    return {
      ...WorkflowSummaryResponse.of(workflow),
      segment: workflow.segment,
      parameterDefinitions: workflow.parameterDefinitions,
      ...(withGraph ? { graph: workflow.graph } : {}),
      active: workflow.active,
      updatedAt: workflow.updatedAt.toISOString(),
    };
  }
}

export class WorkflowPage {
  @ApiProperty({ type: [WorkflowResponse] }) items: WorkflowResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class WorkflowSummaryPage {
  @ApiProperty({ type: [WorkflowSummaryResponse] }) items: WorkflowSummaryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
