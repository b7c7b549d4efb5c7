import { Service, type Entry } from '../ws/service';

export const first = (s: Service): Entry | undefined => (s.record({ event: 'x' }), undefined);
