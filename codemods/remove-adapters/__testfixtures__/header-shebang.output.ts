#!/usr/bin/env node
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports */

import { hubOperations } from 'ssot-migrate/canonical';

/** The registry size, for the health script. */
export function registered(userId: string): number {
  return hubOperations().connectionCount(userId);
}
