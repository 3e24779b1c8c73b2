import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, Authenticated, AuthUser, CurrentUser, PageQuery, Created } from '@atelier/core';
import { workflowNotFound } from './catalog.errors';
import {
  CreateWorkflowDto,
  UpdateWorkflowDto,
  WorkflowPage,
  WorkflowResponse,
  WorkflowSummaryPage,
  WorkflowSummaryResponse,
} from './dto/workflow.dto';
import { WorkflowsService } from './workflows.service';

const WorkflowIdPipe = new ParseUUIDPipe({ exceptionFactory: () => workflowNotFound() });

@ApiTags('workflows')
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({
    type: WorkflowPage,
    description: "The workflows the caller's plan allows (all, for admins)",
  })
  async list(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<WorkflowPage> {
    const page = await this.workflows.list(user, query);
    const admin = user.role === 'admin';
    return { items: page.items.map((w) => WorkflowResponse.full(w, admin)), nextCursor: page.nextCursor };
  }

  @Get('simplified')
  @Authenticated()
  @ApiOkResponse({ type: WorkflowSummaryPage, description: 'id, name, description, type, model, created' })
  async simplified(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<WorkflowSummaryPage> {
    const page = await this.workflows.list(user, query);
    return { items: page.items.map(WorkflowSummaryResponse.of), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: WorkflowResponse })
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', WorkflowIdPipe) id: string,
  ): Promise<WorkflowResponse> {
    return WorkflowResponse.full(await this.workflows.getVisible(user, id), user.role === 'admin');
  }

  @Post()
  @AdminOnly()
  @Created('workflows/:id', { type: WorkflowResponse })
  async create(@Body() body: CreateWorkflowDto): Promise<WorkflowResponse> {
    return WorkflowResponse.full(await this.workflows.create(body), true);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: WorkflowResponse })
  async update(
    @Param('id', WorkflowIdPipe) id: string,
    @Body() body: UpdateWorkflowDto,
  ): Promise<WorkflowResponse> {
    return WorkflowResponse.full(await this.workflows.update(id, body), true);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', WorkflowIdPipe) id: string): Promise<void> {
    return this.workflows.remove(id);
  }
}
