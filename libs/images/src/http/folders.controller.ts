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
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Authenticated, AuthUser, Created, CurrentUser, Page, PageQuery } from '@atelier/core';
import { FolderNameDto, FolderResponse, toFolderResponse } from '../dto/folder.dto';
import { FoldersService } from '../folders/folders.service';
import { FolderPage } from '../dto/pages.response';

@ApiTags('folders')
@Controller('folders')
@Authenticated()
export class FoldersController {
  constructor(private readonly folders: FoldersService) {}

  @Get()
  @ApiOperation({ summary: 'Your folders (the default one is created on first use)' })
  @ApiOkResponse({ type: FolderPage })
  async list(@CurrentUser() user: AuthUser, @Query() page: PageQuery): Promise<Page<FolderResponse>> {
    await this.folders.defaultFolder(user.id);
    const result = await this.folders.list(user.id, page);
    return { items: result.items.map(toFolderResponse), nextCursor: result.nextCursor };
  }

  @Post()
  @ApiOperation({ summary: 'Create a folder (409 folder_name_taken if the name is used)' })
  @Created('folders/:id', { type: FolderResponse })
  @ApiProblems(409)
  async create(@CurrentUser() user: AuthUser, @Body() body: FolderNameDto): Promise<FolderResponse> {
    return toFolderResponse(await this.folders.create(user.id, body.name));
  }

  // A query parameter rather than a path segment: an encoded 100-character name can exceed the
  // router's path-parameter limit (Fastify answers 414 past 100 bytes).
  @Get('by-name')
  @ApiOperation({ summary: 'One of your folders by its exact name (404 folder_not_found otherwise)' })
  @ApiOkResponse({ type: FolderResponse })
  async getByName(@CurrentUser() user: AuthUser, @Query() query: FolderNameDto): Promise<FolderResponse> {
    return toFolderResponse(await this.folders.findOwnedByName(user.id, query.name));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your folders' })
  @ApiOkResponse({ type: FolderResponse })
  async get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<FolderResponse> {
    return toFolderResponse(await this.folders.findOwned(user.id, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a folder (409 folder_name_taken if the name is used)' })
  @ApiOkResponse({ type: FolderResponse })
  @ApiProblems(409)
  async rename(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FolderNameDto,
  ): Promise<FolderResponse> {
    return toFolderResponse(await this.folders.rename(user.id, id, body.name));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a folder; its images move to the default folder' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.folders.remove(user.id, id);
  }
}
