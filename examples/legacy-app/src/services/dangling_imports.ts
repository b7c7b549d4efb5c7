/**
 * Names imported from modules that do not export them (the original had 183 such sites).
 * Each dangling line is silenced for tsc so the app typechecks:
 *  - `UnifiedWebSocketManager` from the compat module (removed there; the manifest maps it,
 *    so a correct rewrite heals it) under `@ts-expect-error`, which tsc reports as unused
 *    once the import resolves: a rewrite that heals it must drop the directive too;
 *  - `createWebSocketManagerSync` from the factory (gone; not in the manifest, left alone)
 *    under `@ts-ignore`.
 * This file is never loaded at run time (an ESM import of a missing name throws).
 */
// @ts-expect-error -- websocket_core/manager no longer exports UnifiedWebSocketManager (ISSUE #1182)
import { UnifiedWebSocketManager } from '../websocket_core/manager.js';
// @ts-ignore -- createWebSocketManagerSync was removed from the factory module
import { createWebSocketManagerSync } from '../websocket_core/websocket_manager_factory.js';

export const legacyNames: readonly unknown[] = [UnifiedWebSocketManager, createWebSocketManagerSync];
