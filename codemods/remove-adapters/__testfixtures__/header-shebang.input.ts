#!/usr/bin/env node
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports */

/** The registry size, for the health script. */
export function registered(userId: string): number {
  const { getRegistry } = require('../legacy/manager');
  return getRegistry().count(userId);
}
