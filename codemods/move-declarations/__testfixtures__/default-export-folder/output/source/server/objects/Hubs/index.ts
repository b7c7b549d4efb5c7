import Pipe from '../Pipe';
import type { HubLike } from '../Hub';

class Hub implements HubLike {
    private pipes: Record<string, Pipe | undefined> = {};

    size(): number {
        return Object.keys(this.pipes).length;
    }
}

export default Hub;
