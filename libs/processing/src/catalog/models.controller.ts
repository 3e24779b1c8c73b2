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
import { modelNotFound } from './catalog.errors';
import { CreateModelDto, ModelPage, ModelResponse, UpdateModelDto } from './dto/model.dto';
import { ModelsService } from './models.service';

const ModelIdPipe = new ParseUUIDPipe({ exceptionFactory: () => modelNotFound() });

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: ModelPage, description: "The models the caller's plan allows (all, for admins)" })
  async list(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<ModelPage> {
    const page = await this.models.list(user, query);
    return { items: page.items.map(ModelResponse.of), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: ModelResponse })
  async get(@CurrentUser() user: AuthUser, @Param('id', ModelIdPipe) id: string): Promise<ModelResponse> {
    return ModelResponse.of(await this.models.getVisible(user, id));
  }

  @Post()
  @AdminOnly()
  @Created('models/:id', { type: ModelResponse })
  async create(@Body() body: CreateModelDto): Promise<ModelResponse> {
    return ModelResponse.of(await this.models.create(body));
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: ModelResponse })
  async update(@Param('id', ModelIdPipe) id: string, @Body() body: UpdateModelDto): Promise<ModelResponse> {
    return ModelResponse.of(await this.models.update(id, body));
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', ModelIdPipe) id: string): Promise<void> {
    return this.models.remove(id);
  }
}
