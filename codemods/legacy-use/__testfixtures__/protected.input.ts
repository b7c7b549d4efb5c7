/*!
 * Copyright (c) 2024 Example Corp. Based on websocket_core/manager.ts and WebSocketManagerAdapter.
 * SPDX-License-Identifier: MIT
 */
/* eslint-disable no-console -- WebSocketManagerAdapter logs */
// @ts-ignore WebSocketManagerAdapter typings are wrong
import { helper } from './helper.js';
// @ts-expect-error websocket_core/manager has no types
import legacy from './untyped.js';

export const used = [helper, legacy]; // eslint-disable-line -- WebSocketManagerAdapter
/// <reference path="../websocket_core/manager.d.ts" />
