import { register, takes } from './plugin.js';
import { hubOperations } from 'ssot-migrate/canonical';

// `export default new Relay()`: the default import read as a value, and its member called
export function boot(): number {
  register({ hub: hubOperations() });
  takes(hubOperations());
  return hubOperations().broadcastAll({ type: 'ready' });
}
