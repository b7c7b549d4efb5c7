import { Registry } from './legacy.js';

export const defaultRegistry = new Registry();
