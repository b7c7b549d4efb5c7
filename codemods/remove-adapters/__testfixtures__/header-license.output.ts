/*
 * Copyright (c) 2024 Example Corp. All rights reserved.
 * SPDX-License-Identifier: MIT
 */

// Health checks: how many sockets a user holds. A doc comment of the file, parted from the code
// by a blank line, stays above the imports too.

import { hubOperations } from 'ssot-migrate/canonical';

/** The registry size of one user (documents the function: the import goes above it). */
export function registered(userId: string): number {
  return hubOperations().connectionCount(userId);
}
