export { reexported as notice } from './barrel-source.js';
