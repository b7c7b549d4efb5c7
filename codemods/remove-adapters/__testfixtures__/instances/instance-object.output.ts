import { register } from './plugin.js';
import api from '../legacy/bundle.js';
import { hubOperations } from 'ssot-migrate/canonical';

// `export default { bundled }`: the instance read as a property of the default export (api.bundled)
export function boot(): number {
  register({ hub: hubOperations() });
  hubOperations().broadcastAll({ type: 'ready' });
  return api.LIMIT;
}
