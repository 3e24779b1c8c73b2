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
  Put,
  Req,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, AuthUser, CurrentUser, ProblemException } from '@atelier/core';
import { VerifiedUser } from '../auth/verified-email.guard';
import { DeleteMeDto, QuotaReportDto, UpdateMeDto } from '../dto/me.dto';
import { PublicUserDto } from '../dto/public-user.dto';
import { QuotaService } from '../quotas/quota.service';
import { UsersErrorCode } from '../users.errors';
import { AvatarService } from './avatar.service';
import { MeService } from './me.service';

@ApiTags('me')
@Controller()
export class MeController {
  constructor(
    private readonly me: MeService,
    private readonly avatars: AvatarService,
    private readonly quotas: QuotaService,
  ) {}

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: PublicUserDto })
  async get(@CurrentUser() caller: AuthUser): Promise<PublicUserDto> {
    return PublicUserDto.from(await this.me.get(caller.id));
  }

  @Patch('me')
  @Authenticated()
  @ApiOkResponse({ type: PublicUserDto })
  async update(@CurrentUser() caller: AuthUser, @Body() body: UpdateMeDto): Promise<PublicUserDto> {
    return PublicUserDto.from(await this.me.update(caller.id, body));
  }

  @Delete('me')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Account anonymised and every session revoked' })
  @ApiBadRequestResponse({ description: 'wrong_password' })
  async delete(@CurrentUser() caller: AuthUser, @Body() body: DeleteMeDto): Promise<void> {
    await this.me.delete(caller.id, body.password);
  }

  @Put('me/avatar')
  @VerifiedUser()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: PublicUserDto })
  @ApiBadRequestResponse({ description: 'file_required or invalid_image' })
  async putAvatar(@CurrentUser() caller: AuthUser, @Req() request: FastifyRequest): Promise<PublicUserDto> {
    const file = request.isMultipart() ? await request.file() : undefined;
    if (!file)
      throw ProblemException.badRequest(
        UsersErrorCode.FileRequired,
        'Send the image as multipart field "file".',
      );
    const user = await this.me.get(caller.id);
    return PublicUserDto.from(await this.avatars.replace(user, await file.toBuffer()));
  }

  @Get('users/:id/avatar')
  @ApiProduces('image/webp')
  @ApiOkResponse({ description: 'The 256 px webp avatar', schema: { type: 'string', format: 'binary' } })
  async getAvatar(@Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    return new StreamableFile(await this.avatars.open(id), { type: 'image/webp' });
  }

  @Get('me/quota')
  @Authenticated()
  @ApiOkResponse({ type: QuotaReportDto })
  quota(@CurrentUser() caller: AuthUser): Promise<QuotaReportDto> {
    return this.quotas.usage(caller.id);
  }
}
