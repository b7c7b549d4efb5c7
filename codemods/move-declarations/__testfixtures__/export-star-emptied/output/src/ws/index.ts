export { Registry } from '../app/registry.js';
export * as codes from './codes.js';
