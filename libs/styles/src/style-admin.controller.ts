import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, Created } from '@atelier/core';
import {
  CreateStyleCategoryDto,
  StyleCategoryResponse,
  UpdateStyleCategoryDto,
} from './dto/style-category.dto';
import { CreateStyleExampleDto, StyleExampleResponse, UpdateStyleExampleDto } from './dto/style-example.dto';
import { CreateStyleDto, StyleResponse, UpdateStyleDto } from './dto/style.dto';
import { StyleAdminService } from './style-admin.service';
import { StyleIdPipe } from './style-id.pipe';
import { categoryNotFound, exampleNotFound } from './styles.errors';

const CategoryIdPipe = new ParseUUIDPipe({ exceptionFactory: () => categoryNotFound() });
const ExampleIdPipe = new ParseUUIDPipe({ exceptionFactory: () => exampleNotFound() });

/** Catalogue writes (administrators only). */
@ApiTags('styles (admin)')
@AdminOnly()
@Controller('styles')
export class StyleAdminController {
  constructor(private readonly admin: StyleAdminService) {}

  @Post('categories')
  @Created('styles/categories/:id', { type: StyleCategoryResponse })
  async createCategory(@Body() body: CreateStyleCategoryDto): Promise<StyleCategoryResponse> {
    return StyleCategoryResponse.of(await this.admin.createCategory(body));
  }

  @Patch('categories/:id')
  @ApiOkResponse({ type: StyleCategoryResponse })
  async updateCategory(
    @Param('id', CategoryIdPipe) id: string,
    @Body() body: UpdateStyleCategoryDto,
  ): Promise<StyleCategoryResponse> {
    return StyleCategoryResponse.of(await this.admin.updateCategory(id, body));
  }

  @Delete('categories/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  deleteCategory(@Param('id', CategoryIdPipe) id: string): Promise<void> {
    return this.admin.deleteCategory(id);
  }

  @Post()
  @Created('styles/:id', { type: StyleResponse })
  async createStyle(@Body() body: CreateStyleDto): Promise<StyleResponse> {
    return StyleResponse.of(await this.admin.createStyle(body));
  }

  @Patch(':id')
  @ApiOkResponse({ type: StyleResponse })
  async updateStyle(
    @Param('id', StyleIdPipe) id: string,
    @Body() body: UpdateStyleDto,
  ): Promise<StyleResponse> {
    return StyleResponse.of(await this.admin.updateStyle(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  deleteStyle(@Param('id', StyleIdPipe) id: string): Promise<void> {
    return this.admin.deleteStyle(id);
  }

  @Post(':id/examples')
  @Created('styles/:styleId/examples/:id', { type: StyleExampleResponse })
  async createExample(
    @Param('id', StyleIdPipe) id: string,
    @Body() body: CreateStyleExampleDto,
  ): Promise<StyleExampleResponse> {
    return StyleExampleResponse.of(await this.admin.createExample(id, body));
  }

  @Patch(':id/examples/:exampleId')
  @ApiOkResponse({ type: StyleExampleResponse })
  async updateExample(
    @Param('id', StyleIdPipe) id: string,
    @Param('exampleId', ExampleIdPipe) exampleId: string,
    @Body() body: UpdateStyleExampleDto,
  ): Promise<StyleExampleResponse> {
    return StyleExampleResponse.of(await this.admin.updateExample(id, exampleId, body));
  }

  @Delete(':id/examples/:exampleId')
  @HttpCode(204)
  @ApiNoContentResponse()
  deleteExample(
    @Param('id', StyleIdPipe) id: string,
    @Param('exampleId', ExampleIdPipe) exampleId: string,
  ): Promise<void> {
    return this.admin.deleteExample(id, exampleId);
  }
}
