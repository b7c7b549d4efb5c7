import { register } from './plugin.js';
import { wsManager } from '../legacy/ws.js';

export function boot(): void {
  register({ hub: wsManager });
}
