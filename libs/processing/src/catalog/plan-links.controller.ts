import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '@atelier/core';
import { PlanModelsDto, PlanWorkflowsDto } from './dto/plan-links.dto';
import { PlanLinksService } from './plan-links.service';

/** Which models and workflows a plan allows (administrators). PUT replaces the whole list. */
@ApiTags('plans (admin)')
@AdminOnly()
@Controller('plans/:id')
export class PlanLinksController {
  constructor(private readonly links: PlanLinksService) {}

  @Get('models')
  @ApiOkResponse({ type: PlanModelsDto })
  async models(@Param('id', ParseUUIDPipe) planId: string): Promise<PlanModelsDto> {
    return { modelIds: await this.links.modelIds(planId) };
  }

  @Put('models')
  @ApiOkResponse({ type: PlanModelsDto })
  async setModels(
    @Param('id', ParseUUIDPipe) planId: string,
    @Body() body: PlanModelsDto,
  ): Promise<PlanModelsDto> {
    return { modelIds: await this.links.setModels(planId, body.modelIds) };
  }

  @Get('workflows')
  @ApiOkResponse({ type: PlanWorkflowsDto })
  async workflows(@Param('id', ParseUUIDPipe) planId: string): Promise<PlanWorkflowsDto> {
    return { workflowIds: await this.links.workflowIds(planId) };
  }

  @Put('workflows')
  @ApiOkResponse({ type: PlanWorkflowsDto })
  async setWorkflows(
    @Param('id', ParseUUIDPipe) planId: string,
    @Body() body: PlanWorkflowsDto,
  ): Promise<PlanWorkflowsDto> {
    return { workflowIds: await this.links.setWorkflows(planId, body.workflowIds) };
  }
}
