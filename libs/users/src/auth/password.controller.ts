import { Body, Controller, Headers, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Authenticated, AuthUser, bearerToken, CurrentUser } from '@atelier/core';
import { AcceptedDto, ChangePasswordDto, EmailDto, ResetPasswordDto } from '../dto/auth.dto';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordService } from './password.service';

@ApiTags('auth')
@Controller('auth/password')
export class PasswordController {
  constructor(
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: AcceptedDto, description: 'Always, whether or not the account exists' })
  @ApiTooManyRequestsResponse({ description: 'rate_limited (see Retry-After)' })
  async forgot(@Body() body: EmailDto, @Ip() ip: string): Promise<AcceptedDto> {
    await this.passwords.forgot(body.email, ip);
    return { accepted: true };
  }

  @Post('reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Password set; every session is revoked' })
  @ApiBadRequestResponse({ description: 'invalid_or_expired_token or validation_failed' })
  async reset(@Body() body: ResetPasswordDto): Promise<void> {
    await this.passwords.reset(body.token, body.password);
  }

  @Post('change')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Password changed; every other session is revoked' })
  @ApiBadRequestResponse({ description: 'wrong_password or validation_failed' })
  async change(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
    @Headers('authorization') authorization?: string,
  ): Promise<void> {
    const sessionId = this.sessions.sessionOf(bearerToken(authorization));
    await this.passwords.change(user.id, body.currentPassword, body.newPassword, sessionId);
  }
}
