/*!
 * health-checks v1.2 | (c) 2024 Example Corp. | MIT
 */
/* eslint-disable no-console */
import type { ManagerId } from './canonical.js'

export function label(id: ManagerId): string {
  return `manager ${id}`
}
