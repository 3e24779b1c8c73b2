import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeHttpServer, Script } from './fake-http-server';
import { sendJson, type RecordedRequest } from './recorded-request';

/*
 * AWS Rekognition fake (DetectModerationLabels only). Sources: providers.md § AWS Rekognition;
 * AWS API reference DetectModerationLabels (request `{Image:{Bytes|S3Object}, MinConfidence}`,
 * labels below MinConfidence are not returned and the default MinConfidence is 50; response
 * `{ModerationLabels:[{Name,ParentName,Confidence,TaxonomyLevel}], ModerationModelVersion,
 * ContentTypes}`; errors InvalidImageFormatException, ImageTooLargeException (5 MB of bytes),
 * ThrottlingException, ProvisionedThroughputExceededException, InternalServerError); the AWS
 * JSON 1.1 protocol (POST /, `X-Amz-Target: RekognitionService.<Op>`, content type
 * `application/x-amz-json-1.1`, errors as `{__type, Message}` which @aws-sdk/core's JSON-RPC
 * protocol reads into `error.name`). SigV4 is recorded, not verified.
 */

export interface ModerationLabel {
  Name: string;
  ParentName?: string;
  Confidence: number;
  TaxonomyLevel?: number;
}

export interface ModerationRuleInput {
  /** Image bytes when sent inline. */
  bytes?: Buffer;
  s3Object?: { Bucket?: string; Name?: string; Version?: string };
  minConfidence: number;
  body: Record<string, unknown>;
}

export type ModerationRule = (input: ModerationRuleInput) => ModerationLabel[];

export type RekognitionFailure =
  | 'ThrottlingException'
  | 'ProvisionedThroughputExceededException'
  | 'InvalidImageFormatException'
  | 'ImageTooLargeException'
  | 'InvalidParameterException'
  | 'InternalServerError';

export interface RekognitionFakeOptions {
  rule?: ModerationRule;
}

const TARGET = 'RekognitionService.DetectModerationLabels';
const MAX_BYTES = 5 * 1024 * 1024;
const FAILURES: Record<RekognitionFailure, { status: number; message: string }> = {
  ThrottlingException: { status: 400, message: 'Rate exceeded' },
  ProvisionedThroughputExceededException: { status: 400, message: 'Provisioned rate exceeded' },
  InvalidImageFormatException: { status: 400, message: 'Request has invalid image format' },
  ImageTooLargeException: { status: 400, message: 'Image size is too large.' },
  InvalidParameterException: { status: 400, message: 'Request has invalid parameters' },
  InternalServerError: { status: 500, message: 'Internal server error' },
};

export class RekognitionFake extends FakeHttpServer {
  /** Each call: what the rule saw and what was answered. */
  readonly calls: Array<{ input: ModerationRuleInput; labels: ModerationLabel[]; authorization?: string }> =
    [];
  private rule: ModerationRule;
  private readonly failures = new Script<RekognitionFailure>();

  constructor(options: RekognitionFakeOptions = {}) {
    super();
    this.rule = options.rule ?? (() => []);
  }

  /** Labels for every following image (before MinConfidence filtering, as AWS scores them). */
  setRule(rule: ModerationRule): void {
    this.rule = rule;
  }

  failNext(failure: RekognitionFailure): void {
    this.failures.push(failure);
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const error = (type: string, status: number, message: string) =>
      sendJson(
        res,
        status,
        { __type: type, Message: message },
        {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': requestId,
        },
      );
    if (req.method !== 'POST' || req.path !== '/')
      return error('UnknownOperationException', 404, 'Unknown path');
    if (req.headers['x-amz-target'] !== TARGET) {
      return error(
        'UnknownOperationException',
        400,
        `Unsupported target ${String(req.headers['x-amz-target'])}`,
      );
    }
    const body = req.json as Record<string, unknown> | undefined;
    if (!body) return error('SerializationException', 400, 'Body is not AWS JSON 1.1');

    const scripted = this.failures.take(req);
    if (scripted) return error(scripted, FAILURES[scripted].status, FAILURES[scripted].message);

    const image = (body.Image ?? {}) as { Bytes?: string; S3Object?: ModerationRuleInput['s3Object'] };
    const minConfidence = typeof body.MinConfidence === 'number' ? body.MinConfidence : 50;
    if (minConfidence < 0 || minConfidence > 100 || (!image.Bytes && !image.S3Object)) {
      return error('InvalidParameterException', 400, FAILURES.InvalidParameterException.message);
    }
    const bytes = image.Bytes ? Buffer.from(image.Bytes, 'base64') : undefined;
    if (bytes && bytes.length > MAX_BYTES) {
      return error('ImageTooLargeException', 400, FAILURES.ImageTooLargeException.message);
    }
    if (bytes && !isJpegOrPng(bytes)) {
      return error('InvalidImageFormatException', 400, FAILURES.InvalidImageFormatException.message);
    }
    const input: ModerationRuleInput = { bytes, s3Object: image.S3Object, minConfidence, body };
    const labels = this.rule(input)
      .filter((label) => label.Confidence >= minConfidence)
      .map((label) => ({
        Name: label.Name,
        ParentName: label.ParentName ?? '',
        Confidence: label.Confidence,
        TaxonomyLevel: label.TaxonomyLevel ?? (label.ParentName ? 2 : 1),
      }));
    this.calls.push({ input, labels, authorization: req.headers.authorization });
    await this.pause(req);
    sendJson(
      res,
      200,
      { ModerationLabels: labels, ModerationModelVersion: '7.0', ContentTypes: [] },
      { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
    );
  }
}

/** Rekognition accepts JPEG and PNG only. */
function isJpegOrPng(bytes: Buffer): boolean {
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return jpeg || png;
}

export async function startRekognitionFake(options: RekognitionFakeOptions = {}): Promise<RekognitionFake> {
  return new RekognitionFake(options).listen();
}
