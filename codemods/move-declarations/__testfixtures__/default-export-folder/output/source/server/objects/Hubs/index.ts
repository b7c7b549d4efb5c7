import Pipe from '../Pipe';
import type { HubLike } from '../Hub';

// #region module
class Hub implements HubLike {
    private pipes: Record<string, Pipe | undefined> = {};

    size(): number {
        return Object.keys(this.pipes).length;
    }
}

// #region exports
export default Hub;
