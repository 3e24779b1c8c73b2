import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '@atelier/core';
import { TokenDto } from '../../dto/auth.dto';
import { RegistrationService } from '../registration.service';
import { messagePage, resetPasswordPage } from './account-page';
import { RESET_PASSWORD_SCRIPT } from './reset-password.script';

const HTML = 'text/html; charset=utf-8';

/**
 * What the mailed links open when there is no web client (WEB_URL unset): a person with only a
 * mail client and a browser can confirm their address and choose a new password.
 */
@ApiTags('auth')
@Controller('auth')
export class AccountPagesController {
  constructor(private readonly registration: RegistrationService) {}

  @Get('verify-email')
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'The address is confirmed; a small HTML page says so',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  async verifyEmail(
    @Query() query: TokenDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.registration.verifyEmail(query.token);
    } catch (error) {
      // A program asking for JSON gets the usual problem document; a browser gets a page.
      if (!(error instanceof ProblemException) || !wantsHtml(request)) throw error;
      await reply
        .status(error.getStatus())
        .type(HTML)
        .send(messagePage('This link does not work', `${error.message} Ask for a new mail from the app.`));
      return;
    }
    await reply
      .type(HTML)
      .send(messagePage('Email confirmed', 'Your address is confirmed. You can sign in now.'));
  }

  @Get('password/reset')
  @Header('content-type', HTML)
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'A form that sets a new password through POST auth/password/reset',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  resetPasswordForm(@Query() query: TokenDto): string {
    return resetPasswordPage(query.token, 'reset.js');
  }

  @Get('password/reset.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @ApiExcludeEndpoint()
  resetPasswordScript(): string {
    return RESET_PASSWORD_SCRIPT;
  }
}

const wantsHtml = (request: FastifyRequest) => /text\/html/.test(request.headers.accept ?? '');
