// SPDX-License-Identifier: MIT
export const REGISTRY_VERSION = 2;
