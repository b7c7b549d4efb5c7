export interface Config { path: string }
export interface Other { x: number }
