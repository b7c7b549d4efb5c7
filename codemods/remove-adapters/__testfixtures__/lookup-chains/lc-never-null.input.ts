import { mustGet } from '../legacy/connections';

/** `mustGet` never returns undefined (strict null checks): its `?.` tests nothing and the chain's template crosses it. */
export function tell(userId: string, data: string): void {
  mustGet(userId)?.send(data);
}
