import {RawData, WebSocket} from "ws";

export {WebSocket, RawData} from "ws";

/** Subscribers by topic: the plugin API's base class, app code. */
export abstract class SubscriptionManager {
    protected sockets: WebSocket[] = [];

    onMessage(ws: WebSocket, raw: RawData): void {
        if (String(raw) === 'subscribe') this.sockets.push(ws);
    }
}
