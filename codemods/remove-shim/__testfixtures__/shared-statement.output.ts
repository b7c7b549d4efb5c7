export const loadLegacy = () => import('../legacy/manager.js'), other = 1;
