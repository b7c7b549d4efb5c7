// #region imports
    import Pipe from '../Pipe';
// #endregion imports

export interface HubLike {
    size(): number;
}

class Counter {
    n = 0;
}

// #region module
class Hub implements HubLike {
    private pipes: Record<string, Pipe | undefined> = {};

    size(): number {
        return Object.keys(this.pipes).length;
    }
}
// #endregion module

export { Counter };

// #region exports
export default Hub;
// #endregion exports
