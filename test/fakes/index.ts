// Loopback fakes of every external service Atelier talks to (see /work/shared/providers.md).
export * from './comfyui.fake';
export * from './fake-http-server';
export * from './fake-image';
export * from './graph.fake';
export * from './huggingface.fake';
export * from './linkedin.fake';
export * from './mastodon.fake';
export * from './openai.fake';
export * from './recorded-request';
export * from './rekognition.fake';
export * from './s3.fake';
export * from './smtp.fake';
export * from './wait-for';
export * from './webhook-receiver.fake';
export * from './x.fake';
export type { ComfyGraph, ComfyNode, ComfyNodeError } from './comfyui-graph';
export * from './oidc-issuer.fake';
