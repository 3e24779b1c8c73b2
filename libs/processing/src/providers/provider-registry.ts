import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '@atelier/core';
import { ProcessingErrorCode } from '../processing.errors';
import { IMAGE_PROVIDERS, ImageProvider } from './image-provider';

/** The generation providers by name, as PROVIDER_DESCRIPTORS lists them. */
@Injectable()
export class ProviderRegistry {
  private readonly byName: Map<string, ImageProvider>;

  constructor(@Inject(IMAGE_PROVIDERS) providers: ImageProvider[]) {
    this.byName = new Map(providers.map((p) => [p.name, p]));
  }

  /** Providers that can run here (credentials present). */
  configured(): ImageProvider[] {
    return [...this.byName.values()].filter((p) => p.configured);
  }

  /** The named provider, or a 400 naming the `provider` field. */
  get(name: string): ImageProvider {
    const provider = this.byName.get(name);
    if (!provider) {
      throw ProblemException.badRequest(ProcessingErrorCode.ProviderUnknown, `Unknown provider "${name}".`, [
        { field: 'provider', message: `must be one of ${[...this.byName.keys()].join(', ')}` },
      ]);
    }
    if (!provider.configured) {
      throw ProblemException.badRequest(
        ProcessingErrorCode.ProviderNotConfigured,
        `Provider "${name}" is not configured on this server.`,
        [{ field: 'provider', message: 'is not configured on this server' }],
      );
    }
    return provider;
  }

  /** For the worker: the provider even if it lost its configuration since submission. */
  find(name: string): ImageProvider | undefined {
    return this.byName.get(name);
  }
}
