import 'ssot-migrate/canonical';

export const x = 1;
