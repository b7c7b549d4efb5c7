'use strict';
// A CommonJS legacy module emptied the same way: it loads what its moved code needed and exports nothing.
require('../shared/names.js');
