import { keep } from '../legacy/manager.js';
import { alsoKept } from './kept.js';

export const first = keep();

export const second = alsoKept(keep);
