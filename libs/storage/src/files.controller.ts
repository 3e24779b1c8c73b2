import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '@atelier/core';
import { attachmentDisposition } from './content-disposition';
import { SignedFileQuery } from './signed-file.query';
import { StorageService } from './storage.service';
import { UrlSigner } from './url-signer';

/**
 * Serves the local driver's signed URLs. A bad or expired signature is a 403 (`invalid_signature`
 * or `signed_url_expired`): the URL itself is the credential, so there is nothing to hide by
 * answering 404, and clients can tell "ask for a fresh URL" from "no such file".
 */
@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(
    private readonly storage: StorageService,
    private readonly signer: UrlSigner,
  ) {}

  @Get('*')
  @ApiOperation({ summary: 'Download a stored file through a signed, expiring URL (local storage)' })
  @ApiForbiddenResponse({ description: 'Signature invalid or expired' })
  @ApiParam({ name: 'path', description: 'The storage key, as in the signed URL' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  async download(
    @Param('*') key: string,
    @Query() query: SignedFileQuery,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const verdict = this.signer.check(key, Number(query.expires), query.sig, query.download);
    if (verdict === 'invalid') {
      throw ProblemException.forbidden('invalid_signature', 'The URL signature is invalid.');
    }
    if (verdict === 'expired') {
      throw ProblemException.forbidden('signed_url_expired', 'The URL has expired; request a new one.');
    }
    const info = await this.storage.head(key);
    if (!info) throw ProblemException.notFound('file_not_found', 'The file no longer exists.');
    const headers: Record<string, string> = {
      'content-type': info.contentType,
      'content-length': String(info.size),
      'cache-control': 'private, max-age=60',
    };
    if (query.download) headers['content-disposition'] = attachmentDisposition(query.download);
    await reply.headers(headers).send(await this.storage.get(key));
  }
}
