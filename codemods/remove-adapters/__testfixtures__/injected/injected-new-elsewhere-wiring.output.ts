import { Dao } from './dao.js';
import { ElsewhereHandler } from './injected-new-elsewhere.js';

// wiring by hand beside the container: the class's injected legacy service goes, so its argument here goes too
export const built = new ElsewhereHandler(new Dao());
