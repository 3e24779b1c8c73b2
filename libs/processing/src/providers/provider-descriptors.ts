import type { ProviderName } from '@atelier/core';
import { comfyUIDescriptor } from '../comfyui/comfyui.provider';
import { huggingFaceDescriptor } from './huggingface/huggingface.provider';
import type { ProviderDescriptor } from './image-provider';
import { localDescriptor } from './local/local.provider';
import { openAIDescriptor } from './openai/openai.provider';

/** Every generation provider, one line each; adding one is its file plus a line here (README). */
export const PROVIDER_DESCRIPTORS = [
  localDescriptor,
  openAIDescriptor,
  huggingFaceDescriptor,
  comfyUIDescriptor,
] as const;

// Checked here rather than with `satisfies` in each provider's file: a provider class reads its
// name and capabilities from its descriptor, so the check there would be circular.
const _everyDescriptorComplete: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS;

/** Names in core's PROVIDER_NAMES without a descriptor here: must stay `never` (checked below). */
type UnregisteredProvider = Exclude<ProviderName, (typeof PROVIDER_DESCRIPTORS)[number]['name']>;
const _everyProviderRegistered: [UnregisteredProvider] extends [never] ? true : UnregisteredProvider = true;
