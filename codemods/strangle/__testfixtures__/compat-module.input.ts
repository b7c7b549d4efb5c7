// A compat module: warns at import time and re-exports under old names.
process.emitWarning('compat-module is deprecated', { type: 'DeprecationWarning', code: 'OLD_1' });

export { Manager as CompatManager } from './manager-module.js';
export type { Protocol } from './manager-module.js';
