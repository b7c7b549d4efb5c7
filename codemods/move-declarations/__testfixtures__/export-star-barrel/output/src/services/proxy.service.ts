import { Pipe } from './pipe.service';

export class ProxyService {
  state(p: Pipe): number {
    return p.client.readyState;
  }
}
