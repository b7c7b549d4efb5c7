#!/usr/bin/env node
/*
 * Copyright (c) 2024 Example Corp. All rights reserved.
 * SPDX-License-Identifier: MIT
 */
/* eslint-disable no-console */

// A legacy script module: its facade keeps the shebang and the license above the marker; the
// directive and this comment stay with the frozen body they are about.
export const SCRIPT_FLAG = true;

console.log('licensed-script loaded');
