/*
 * Copyright (c) 2024 Example Corp.
 * SPDX-License-Identifier: MIT
 */

// Lazy loading, without semicolons and with double quotes: the added import copies both and goes
// below this header, not above the license.

import type { UserExecutionContext } from "../services/user_execution_context";

export function canonicalLazily(ctx: UserExecutionContext): unknown {
  const { createWebSocketManager } = require("ssot-migrate/canonical")
  return createWebSocketManager(ctx)
}
