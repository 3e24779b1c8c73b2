import { ConfigService } from '@nestjs/config';
import { createServer } from 'node:net';
import sharp from 'sharp';
import { Env, ExternalServiceError, parseEnv } from '@atelier/core';
import { RekognitionModerationDriver } from '../libs/moderation/src/drivers/rekognition.moderation-driver';
import { fakeImage } from './fakes/fake-image';
import { RekognitionFake, startRekognitionFake } from './fakes/rekognition.fake';

// The Rekognition driver against the loopback fake, through the real AWS SDK (no app needed).
describe('RekognitionModerationDriver', () => {
  let fake: RekognitionFake;

  const driverFor = (endpoint: string, extra: Record<string, string> = {}) =>
    new RekognitionModerationDriver(
      new ConfigService<Env, true>(
        parseEnv({
          MODERATION_DRIVER: 'rekognition',
          REKOGNITION_ENDPOINT: endpoint,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDMODERATION',
          AWS_SECRET_ACCESS_KEY: 'moderation-secret',
          ...extra,
        }),
      ),
    );

  beforeEach(async () => {
    fake = await startRekognitionFake();
  });
  afterEach(() => fake.close());

  it('calls DetectModerationLabels signed, with MinConfidence, and answers safe without labels', async () => {
    const result = await driverFor(fake.url).moderate(await fakeImage(64, 48, 'png'));
    expect(result).toEqual({ verdict: 'safe', labels: [] });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0].input.minConfidence).toBe(80);
    expect(fake.calls[0].authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDMODERATION\/\d+\/eu-west-1\//,
    );
    const sent = await sharp(fake.calls[0].input.bytes).metadata();
    expect(sent).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
  });

  it('flags an image with a label at or above the threshold, keeping the labels', async () => {
    fake.setRule(() => [
      { Name: 'Explicit', Confidence: 97.456 },
      { Name: 'Explicit Nudity', ParentName: 'Explicit', Confidence: 90 },
    ]);
    const result = await driverFor(fake.url).moderate(await fakeImage(32, 32, 'jpeg'));
    expect(result).toEqual({
      verdict: 'flagged',
      labels: [
        { name: 'Explicit', confidence: 97.46 },
        { name: 'Explicit Nudity', parentName: 'Explicit', confidence: 90 },
      ],
    });
  });

  it('answers safe when every label is below MODERATION_MIN_CONFIDENCE', async () => {
    fake.setRule(() => [{ Name: 'Suggestive', Confidence: 89.9 }]);
    const result = await driverFor(fake.url, { MODERATION_MIN_CONFIDENCE: '90' }).moderate(
      await fakeImage(32, 32, 'jpeg'),
    );
    expect(result).toEqual({ verdict: 'safe', labels: [] });
    expect(fake.calls[0].input.minConfidence).toBe(90);
  });

  it('sends a large image as a downscaled JPEG within the 5 MB limit', async () => {
    await driverFor(fake.url).moderate(await fakeImage(3840, 2880, 'png'));
    const bytes = fake.calls[0].input.bytes!;
    expect(bytes.length).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 1920, height: 1440 });
  });

  it.each([
    ['ThrottlingException', 'retryable'],
    ['ProvisionedThroughputExceededException', 'retryable'],
    ['InternalServerError', 'retryable'],
    ['InvalidImageFormatException', 'rejected'],
    ['ImageTooLargeException', 'rejected'],
  ] as const)('classifies %s as %s', async (failure, kind) => {
    fake.failNext(failure);
    const error = await driverFor(fake.url)
      .moderate(await fakeImage(16, 16, 'png'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ kind, service: 'rekognition', details: { providerCode: failure } });
  });

  it('classifies an unreachable endpoint as retryable', async () => {
    const port = await closedPort();
    const error = await driverFor(`http://127.0.0.1:${port}`)
      .moderate(await fakeImage(16, 16, 'png'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retryable', service: 'rekognition' });
  });

  it('rejects bytes that are not an image without calling the service', async () => {
    const error = await driverFor(fake.url)
      .moderate(Buffer.from('not an image'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rejected' });
    expect(fake.requests).toHaveLength(0);
  });
});

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
