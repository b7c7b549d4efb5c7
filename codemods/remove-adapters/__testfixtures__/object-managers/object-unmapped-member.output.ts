import { wsManager, LIMIT } from '../legacy/ws.js';

export function full(): boolean {
  // TODO(ssot)[wsManager.count]: wsManager.count has no template in classes[].members; map it in ssot.config.json or rewrite it by hand
  return wsManager.count() >= LIMIT;
}
