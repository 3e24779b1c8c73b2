import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Created } from '@atelier/core';
import {
  AcceptedDto,
  EmailDto,
  LoginDto,
  LoginResponseDto,
  RefreshDto,
  RegisterDto,
  TokenDto,
  TokenPairDto,
} from '../dto/auth.dto';
import { PublicUserDto } from '../dto/public-user.dto';
import { AuthService } from './auth.service';
import { RegistrationService } from './registration.service';

@ApiTags('auth')
@ApiTooManyRequestsResponse({ description: 'rate_limited (see Retry-After)' })
@Controller('auth')
export class AuthController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly auth: AuthService,
  ) {}

  @Post('register')
  @Created('me', { type: PublicUserDto })
  @ApiConflictResponse({ description: 'email_taken or username_taken' })
  async register(@Body() body: RegisterDto, @Ip() ip: string): Promise<PublicUserDto> {
    return PublicUserDto.from(await this.registration.register(body, ip));
  }

  @Post('verify-email')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PublicUserDto })
  @ApiBadRequestResponse({ description: 'invalid_or_expired_token' })
  async verifyEmail(@Body() body: TokenDto): Promise<PublicUserDto> {
    return PublicUserDto.from(await this.registration.verifyEmail(body.token));
  }

  @Post('resend-verification')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: AcceptedDto, description: 'Always, whether or not the account exists' })
  async resendVerification(@Body() body: EmailDto, @Ip() ip: string): Promise<AcceptedDto> {
    await this.registration.resendVerification(body.email, ip);
    return { accepted: true };
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'invalid_credentials' })
  async login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResponseDto> {
    const { user, ...tokens } = await this.auth.login(body.login, body.password, ip);
    return { ...tokens, user: PublicUserDto.from(user) };
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenPairDto, description: 'A new pair; the presented refresh token is spent' })
  @ApiUnauthorizedResponse({
    description: 'invalid_refresh_token, or refresh_token_reused (session revoked)',
  })
  refresh(@Body() body: RefreshDto, @Ip() ip: string): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken, ip);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The session of this refresh token is revoked' })
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }
}
