import { getLegacyStats } from 'ssot-migrate/canonical';

export const s = getLegacyStats();
