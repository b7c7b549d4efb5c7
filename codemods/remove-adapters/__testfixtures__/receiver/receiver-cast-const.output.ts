import type { Notifier } from '../legacy/contract.js'
import { hubOperations } from 'ssot-migrate/canonical'

// a downcast held in a const that only dropped receivers read goes; the next line's `;` stays
export function onOpen(app: { notifier: Notifier }, id: string) {
  ;(async () => {
    if (hubOperations().isOnline(id)) return
  })()
}
