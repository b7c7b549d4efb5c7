// Public surface of codemods/init/: drafting ssot.config.json from a repository's code.
export { draftManifest } from './draft.js';
export type { InitInput, InitResult, InitFindings, InitTodo, MemberUse } from './draft.js';
