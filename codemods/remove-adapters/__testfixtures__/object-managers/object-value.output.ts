import { register } from './plugin.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function boot(): void {
  register({ hub: hubOperations() });
}
