// drifted copy: same names, a different value
export enum ManagerMode {
  UNIFIED = 'UNIFIED',
  ISOLATED = 'isolated',
}
