/*
 * Copyright (c) 2024 Example Corp.
 * SPDX-License-Identifier: MIT
 */

// Lazy loading, without semicolons and with double quotes: the added imports copy both and go
// below this header, not above the license.

export function loadLazily(): unknown {
  const { getWebSocketManager } = require("../legacy/manager")
  return getWebSocketManager()
}
