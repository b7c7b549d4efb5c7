import { hubOperations } from 'ssot-migrate/canonical';

export class Hub {
  label = 'hub';
}

export const hello = (h: Hub) => (hubOperations().isOnline(String(1)) ? h.label : 'none');
