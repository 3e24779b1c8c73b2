import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsUUID } from 'class-validator';

export class PlanModelsDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Replaces the plan’s models' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  modelIds: string[];
}

export class PlanWorkflowsDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Replaces the plan’s workflows' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  workflowIds: string[];
}
