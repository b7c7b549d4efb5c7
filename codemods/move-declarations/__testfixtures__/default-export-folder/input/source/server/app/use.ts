import hub from '~server/services/hub';
import Hub, { type HubLike } from '../objects/Hub';
import TheHub, { Counter } from '~server/objects/Hub';

export { default as Registry } from '~server/objects/Hub';

export const all: HubLike[] = [hub, new Hub(), new TheHub()];
export const counter = new Counter();
export type Of = import('~server/objects/Hub').default;
