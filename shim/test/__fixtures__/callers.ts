// Call sites for telemetry tests: this file counts as app code (not shim source).
import { captureCallSite } from '../../call-site.js';
import type { CallSiteInfo } from '../../call-site.js';

export function callerA(): CallSiteInfo | undefined {
  return captureCallSite(); // CALLER_A
}

export function callerB(): CallSiteInfo | undefined {
  return captureCallSite(); // CALLER_B
}
