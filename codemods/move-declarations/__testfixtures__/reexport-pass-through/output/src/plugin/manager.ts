import {SubscriptionManager, WebSocket, User} from "../models/index.js";
import type {RawData} from "../models/subscriptions.js";

export class PrinterManager extends SubscriptionManager {
    send(ws: WebSocket, user: User, raw: RawData): void {
        ws.send(JSON.stringify({ user: user.id, raw: String(raw) }));
    }
}
