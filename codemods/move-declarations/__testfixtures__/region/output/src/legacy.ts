// #region registry
import { Registry } from './registry';

// #endregion

//#region manager
export class LegacyManager {
  readonly registry = new Registry();
}
//#endregion
