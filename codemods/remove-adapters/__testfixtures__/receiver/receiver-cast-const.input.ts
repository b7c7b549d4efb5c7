import { LocalNotifier } from '../legacy/contract.js'
import type { Notifier } from '../legacy/contract.js'

// a downcast held in a const that only dropped receivers read goes; the next line's `;` stays
export function onOpen(app: { notifier: Notifier }, id: string) {
  const local = app.notifier as LocalNotifier
  ;(async () => {
    if (local.track(id)) return
  })()
}
