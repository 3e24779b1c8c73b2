import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '@atelier/core';
import { attachmentDisposition } from './content-disposition';
import { sendStoredObject } from './send-stored-object';
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
  @ApiNotModifiedResponse({ description: 'If-None-Match names the current ETag' })
  @ApiParam({ name: 'path', description: 'The storage key, as in the signed URL' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  async download(
    @Param('*') key: string,
    @Query() query: SignedFileQuery,
    @Req() request: FastifyRequest,
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
    // A key's bytes never change (new content gets a new key), so the copy stays good for as long
    // as the URL itself: no longer, or a cache would keep answering an expired URL. Private: these
    // are people's images, and a shared cache gains nothing from per-signature URLs.
    const lifetime = Math.max(0, Number(query.expires) - Math.floor(Date.now() / 1000));
    await sendStoredObject(request, reply, {
      info,
      cacheControl: `private, max-age=${lifetime}, immutable`,
      disposition: query.download ? attachmentDisposition(query.download) : undefined,
      open: () => this.storage.get(key),
    });
  }
}
