import {
  DetectModerationLabelsCommand,
  InvalidImageFormatException,
  RekognitionClient,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { fakeImage } from './fake-image';
import { startRekognitionFake, type RekognitionFake } from './rekognition.fake';

describe('Rekognition fake, driven by @aws-sdk/client-rekognition', () => {
  let fake: RekognitionFake;
  let client: RekognitionClient;

  beforeEach(async () => {
    fake = await startRekognitionFake();
    client = new RekognitionClient({
      endpoint: fake.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await fake.close();
  });

  const detect = async (minConfidence?: number, bytes?: Uint8Array) =>
    client.send(
      new DetectModerationLabelsCommand({
        Image: { Bytes: bytes ?? (await fakeImage(32, 32, 'jpeg')) },
        MinConfidence: minConfidence,
      }),
    );

  it('answers labels from the rule, filtered by MinConfidence like AWS', async () => {
    fake.setRule(({ bytes }) => [
      { Name: 'Explicit', Confidence: 97.5 },
      { Name: 'Explicit Nudity', ParentName: 'Explicit', Confidence: 88 },
      { Name: 'Violence', Confidence: bytes && bytes.length > 0 ? 40 : 0 },
    ]);
    const result = await detect(60);
    expect(result.ModerationLabels).toEqual([
      { Name: 'Explicit', ParentName: '', Confidence: 97.5, TaxonomyLevel: 1 },
      { Name: 'Explicit Nudity', ParentName: 'Explicit', Confidence: 88, TaxonomyLevel: 2 },
    ]);
    expect(result.ModerationModelVersion).toBe('7.0');
    expect((await detect()).ModerationLabels).toHaveLength(2); // default MinConfidence is 50
    expect((await detect(10)).ModerationLabels).toHaveLength(3);
    expect(fake.calls[0].input.minConfidence).toBe(60);
    expect(fake.calls[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\//);
    expect(fake.requests[0].headers['x-amz-target']).toBe('RekognitionService.DetectModerationLabels');
  });

  it('surfaces a scripted ThrottlingException as the modelled SDK error', async () => {
    fake.failNext('ThrottlingException');
    const error = await detect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
  });

  it('surfaces a 500 as InternalServerError', async () => {
    fake.failNext('InternalServerError');
    await expect(detect()).rejects.toMatchObject({
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
  });

  it('rejects bytes that are not JPEG/PNG with InvalidImageFormatException', async () => {
    await expect(detect(50, Buffer.from('GIF89a not really'))).rejects.toBeInstanceOf(
      InvalidImageFormatException,
    );
  });
});
