import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { ImageProvider } from './image-provider';
import { ProviderRegistry } from './provider-registry';

class ProviderResponse {
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) types: string[];
  @ApiProperty({ type: [String] }) models: string[];
  @ApiProperty() defaultModel: string;
  @ApiProperty({ type: Object, description: 'fixed sizes, or a min/max/multipleOf range' })
  sizes: Record<string, unknown>;
  @ApiProperty() maxN: number;
  @ApiProperty() edit: boolean;
  @ApiProperty() streaming: boolean;
  @ApiProperty() negativePrompt: boolean;

  static from(provider: ImageProvider): ProviderResponse {
    const c = provider.capabilities;
    return {
      name: provider.name,
      types: [...c.types],
      models: [...c.models],
      defaultModel: c.defaultModel,
      sizes: { ...c.sizes },
      maxN: c.maxN,
      edit: c.types.has('edit'),
      streaming: c.streaming,
      negativePrompt: c.negativePrompt,
    };
  }
}

class ProviderList {
  @ApiProperty({ type: [ProviderResponse] }) items: ProviderResponse[];
}

@ApiTags('jobs')
@Controller('providers')
export class ProvidersController {
  constructor(private readonly registry: ProviderRegistry) {}

  /** The providers this server is configured for, with what each can do. */
  @Get()
  @ApiOkResponse({ type: ProviderList })
  list(): ProviderList {
    return { items: this.registry.configured().map(ProviderResponse.from) };
  }
}
