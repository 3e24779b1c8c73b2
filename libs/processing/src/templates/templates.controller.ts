import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AdminOnly, Authenticated, AuthUser, CurrentUser, Created } from '@atelier/core';
import { CreateTemplateDto, TemplateResponse, UpdateTemplateDto } from '../dto/template.dto';
import { TemplatesService } from './templates.service';

class TemplateList {
  @ApiProperty({ type: [TemplateResponse] }) items: TemplateResponse[];
}

@ApiTags('templates')
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  /** Active templates; administrators also see inactive ones. */
  @Get()
  @Authenticated()
  @ApiOkResponse({ type: TemplateList })
  async list(@CurrentUser() user: AuthUser): Promise<TemplateList> {
    const items = await this.templates.list(user.role === 'admin');
    return { items: items.map(TemplateResponse.from) };
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: TemplateResponse })
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<TemplateResponse> {
    const template =
      user.role === 'admin' ? await this.templates.get(id) : await this.templates.getActive(id);
    return TemplateResponse.from(template);
  }

  @Post()
  @AdminOnly()
  @Created('templates/:id', { type: TemplateResponse })
  async create(@Body() dto: CreateTemplateDto): Promise<TemplateResponse> {
    return TemplateResponse.from(await this.templates.create(dto));
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: TemplateResponse })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTemplateDto,
  ): Promise<TemplateResponse> {
    return TemplateResponse.from(await this.templates.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @AdminOnly()
  @ApiNoContentResponse()
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.templates.remove(id);
  }
}
