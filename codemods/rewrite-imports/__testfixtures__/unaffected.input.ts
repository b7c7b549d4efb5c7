import { join } from "node:path"
// nothing here reaches a legacy module
export const p = join('a', 'b')
