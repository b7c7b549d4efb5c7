// SPDX-License-Identifier: MIT
export class Registry {
  list(): string[] {
    return [];
  }
}

export const REGISTRY_VERSION = 2;
