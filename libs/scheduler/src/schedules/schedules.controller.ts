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
import { Authenticated, type AuthUser, CurrentUser, PageQuery, Created } from '@atelier/core';
import {
  CreateScheduleDto,
  ScheduleDto,
  SchedulePageDto,
  ScheduleRunPageDto,
  UpdateScheduleDto,
} from './dto/schedule.dto';
import { SchedulesService } from './schedules.service';

@ApiTags('scheduler')
@Controller('schedules')
@Authenticated()
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get()
  @ApiOkResponse({ type: SchedulePageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery) {
    return this.schedules.list(user.id, query);
  }

  @Post()
  @Created('schedules/:id', { type: ScheduleDto })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateScheduleDto) {
    return this.schedules.create(user.id, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: ScheduleDto })
  async get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return ScheduleDto.from(await this.schedules.findOwned(user.id, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: ScheduleDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateScheduleDto,
  ) {
    return this.schedules.update(user.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.schedules.remove(user.id, id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: ScheduleDto })
  pause(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.schedules.pause(user.id, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: ScheduleDto })
  resume(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.schedules.resume(user.id, id);
  }

  @Get(':id/runs')
  @ApiOkResponse({ type: ScheduleRunPageDto })
  runs(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery) {
    return this.schedules.listRuns(user.id, id, query);
  }
}
