import * as legacy from './legacy.js';

export const make = () => new legacy.AgentRegistry({ path: 'f' });
