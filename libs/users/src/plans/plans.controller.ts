import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, AuthUser, Created, CurrentUser } from '@atelier/core';
import { AdminUsersService } from '../admin/admin-users.service';
import { AssignPlanDto, CreatePlanDto, PlanDto, PlanList, UpdatePlanDto } from '../dto/plan.dto';
import { PlansService } from './plans.service';

@ApiTags('plans')
@Controller()
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly admin: AdminUsersService,
  ) {}

  @Get('plans')
  @ApiOkResponse({ type: PlanList, description: 'Active plans, cheapest first (one page: there are few)' })
  async list(): Promise<PlanList> {
    return { items: (await this.plans.listActive()).map(PlanDto.from), nextCursor: null };
  }

  @Post('plans')
  @AdminOnly()
  @Created('plans/:id', { type: PlanDto })
  @ApiConflictResponse({ description: 'plan_slug_taken' })
  async create(@Body() body: CreatePlanDto): Promise<PlanDto> {
    return PlanDto.from(await this.plans.create(body));
  }

  @Patch('plans/:id')
  @AdminOnly()
  @ApiOkResponse({ type: PlanDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdatePlanDto): Promise<PlanDto> {
    return PlanDto.from(await this.plans.update(id, body));
  }

  @Delete('plans/:id')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiConflictResponse({
    description: 'plan_in_use: the default plan or one with users (deactivate it instead)',
  })
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.plans.remove(id);
  }

  @Put('users/:id/plan')
  @AdminOnly()
  @ApiOkResponse({
    type: PlanDto,
    description: 'The plan the user is now on (audited, as PATCH admin/users/{id})',
  })
  async assign(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) userId: string,
    @Body() body: AssignPlanDto,
  ): Promise<PlanDto> {
    await this.admin.changePlan(actor, userId, body.planId);
    return PlanDto.from(await this.plans.get(body.planId));
  }
}
