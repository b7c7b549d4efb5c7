import { register, takes } from './plugin.js';
import relay from '../legacy/relay.js';

// `export default new Relay()`: the default import read as a value, and its member called
export function boot(): number {
  register({ hub: relay });
  takes(relay);
  return relay.broadcast({ type: 'ready' });
}
