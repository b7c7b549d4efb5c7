// listed in publicApi: its exports are read by code outside the repo
export { Manager } from '../legacy/manager.js';
