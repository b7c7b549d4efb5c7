export * from './registry.js';
export * as codes from './codes.js';
