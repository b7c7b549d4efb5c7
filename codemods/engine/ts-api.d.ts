// Types for ts-api.js (the TypeScript API loaded through require(); see there for why).
import ts from 'typescript';
export default ts;
