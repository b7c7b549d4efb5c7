import { Manager } from '../legacy/manager.js';
import { keep } from './other.js';

export const x = keep(Manager);
