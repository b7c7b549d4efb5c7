// #region imports
// #endregion imports

import { Counter } from '../Counter';

export interface HubLike {
    size(): number;
}

// #region module
// #endregion module

export { Counter };

// #region exports
// #endregion exports
