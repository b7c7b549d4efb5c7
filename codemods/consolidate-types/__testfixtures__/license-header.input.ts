/*!
 * health-checks v1.2 | (c) 2024 Example Corp. | MIT
 */
/* eslint-disable no-console */
type ManagerId = string

export function label(id: ManagerId): string {
  return `manager ${id}`
}
