import { Registry, codes } from '../ws/index.js';

export const registry = new Registry();
export const closeCode = codes.NORMAL;
