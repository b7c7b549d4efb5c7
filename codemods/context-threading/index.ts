/**
 * Public surface of codemods/context-threading: JetBrains' "Change Signature" with propagation,
 * as a batch. Given calls that need a context and have none in scope, each enclosing function
 * takes one (a new parameter, or in place of a parameter the context covers) and every caller
 * the checker finds passes it, recursively, until a caller has one in scope, builds one from a
 * manifest `contextSources` value, or reaches a boundary (manifest `publicApi`, a callback, a
 * signature another type fixes, a framework-built class). Analysis on the unchanged project;
 * the result is text edits per file, and per site the chain that led to its end.
 */
export { boundaryMessage, chainText } from './chain.js';
export { directCalls, type CallerOptions } from './callers.js';
export { referencesOf } from '../engine/references.js';
export { threadInProject, type AppliedThreading } from './apply.js';
export { threadContext } from './thread.js';
export type { MarkedFile } from './markers.js';
export type { ContextSite, SiteOutcome, ThreadOptions, ThreadResult } from './types.js';
