import { Pipe } from './socket.service';

export class ProxyService {
  state(p: Pipe): number {
    return p.client.readyState;
  }
}
