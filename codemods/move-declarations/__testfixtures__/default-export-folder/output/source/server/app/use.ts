import hub from '~server/services/hubs';
import { type HubLike } from '../objects/Hub';
import Hub from '../objects/Hubs';
import { Counter } from '~server/objects/Counter';
import TheHub from '~server/objects/Hubs';

export { default as Registry } from '~server/objects/Hubs';

export const all: HubLike[] = [hub, new Hub(), new TheHub()];
export const counter = new Counter();
export type Of = import('~server/objects/Hubs').default;
