import { PipeManager, ProxyService, upstreamUrl } from 'src/services';

export class Gateway {
  constructor(private readonly manager: PipeManager, readonly proxy: ProxyService) {}

  url(): string {
    return upstreamUrl();
  }
}
