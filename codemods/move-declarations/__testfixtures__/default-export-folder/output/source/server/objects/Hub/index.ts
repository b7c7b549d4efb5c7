// #region imports
// #endregion imports

import { Counter } from '../Counter';

export interface HubLike {
    size(): number;
}

// #endregion module

export { Counter };

// #endregion exports
