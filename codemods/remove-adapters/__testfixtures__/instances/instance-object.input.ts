import { register } from './plugin.js';
import api from '../legacy/bundle.js';

// `export default { bundled }`: the instance read as a property of the default export (api.bundled)
export function boot(): number {
  register({ hub: api.bundled });
  api.bundled.broadcast({ type: 'ready' });
  return api.LIMIT;
}
