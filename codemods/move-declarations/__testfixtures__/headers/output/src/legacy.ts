/*
 * Copyright (c) 2024 Example Corp.
 */

// The legacy manager keeps a registry of its own: the import of the moved class goes below this
// header, not above the copyright.

import { Registry } from './registry';

export class LegacyManager {
  readonly registry = new Registry();
}
