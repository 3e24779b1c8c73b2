import { HttpStatus } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { flattenValidationErrors, ProblemException, refuseHostileInput } from '@atelier/core';
import { UploadImageDto } from './dto/upload-image.dto';
import { ImageErrorCode } from './images.errors';

export interface ParsedUpload {
  buffer: Buffer;
  fields: UploadImageDto;
}

/**
 * Reads POST /images: one `file` part (bounded by MAX_UPLOAD_BYTES through the multipart
 * plugin's fileSize limit) and the form fields, which are validated like a JSON body.
 */
export async function readImageUpload(request: FastifyRequest, maxBytes: number): Promise<ParsedUpload> {
  if (!request.isMultipart()) {
    throw ProblemException.badRequest(
      ImageErrorCode.FileMissing,
      'Send multipart/form-data with a "file" part.',
    );
  }
  let buffer: Buffer | undefined;
  const raw: Record<string, unknown> = {};
  const tags: string[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || buffer) {
        part.file.resume();
        throw ProblemException.invalidField(
          part.fieldname,
          'only one file, in the "file" field, is accepted',
        );
      }
      buffer = await readFile(part, maxBytes);
    } else if (part.fieldname === 'tags' || part.fieldname === 'tags[]') {
      tags.push(...String(part.value).split(','));
    } else {
      raw[part.fieldname] = part.value;
    }
  }
  if (!buffer || buffer.length === 0) {
    throw ProblemException.badRequest(ImageErrorCode.FileMissing, 'The "file" part is missing or empty.');
  }
  if (tags.length) raw.tags = tags;
  // Form fields skip the JSON-body check at the edge: the same NUL refusal, here.
  refuseHostileInput(raw, '');
  const fields = plainToInstance(UploadImageDto, raw);
  const errors = await validate(fields, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw ProblemException.validationFailed(flattenValidationErrors(errors));
  return { buffer, fields };
}

async function readFile(part: MultipartFile, maxBytes: number): Promise<Buffer> {
  try {
    const buffer = await part.toBuffer();
    if (!part.file.truncated) return buffer;
  } catch (error) {
    if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
  }
  throw new ProblemException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    ImageErrorCode.FileTooLarge,
    `The file is larger than ${maxBytes} bytes.`,
    { extensions: { maxBytes } },
  );
}
