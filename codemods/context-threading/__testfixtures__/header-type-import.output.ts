/*
 * Copyright (c) 2024 Example Corp.
 * SPDX-License-Identifier: MIT
 */

// Lazy loading, without semicolons and with double quotes: the added imports copy both and go
// below this header, not above the license.

import type { UserExecutionContext } from "../services/user_execution_context"
import { createWebSocketManager } from "ssot-migrate/canonical"

export function loadLazily(ctx: UserExecutionContext): unknown {
  return createWebSocketManager(ctx)
}
