import { Service } from './service';
import type { Entry } from './service';

export const first = (s: Service): Entry | undefined => (s.record({ event: 'x' }), undefined);
