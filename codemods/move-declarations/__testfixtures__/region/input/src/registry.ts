export const REGISTRY_VERSION = 2;
