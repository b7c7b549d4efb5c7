export { consolidateTypes } from './consolidate.js';
