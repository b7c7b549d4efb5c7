export { Manager } from '../legacy/manager.js';
export const broken = (;
