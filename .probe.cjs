const ts=require('typescript'),fs=require('fs');
const lines=fs.readFileSync(process.argv[2],'utf8').split('\n');
const ok=L=>ts.preProcessFile(lines.slice(0,L).join('\n')+'\n;require("zzz-probe");\n',true,true).importedFiles.some(f=>f.fileName==='zzz-probe');
const bound=L=>/^(function|var|const|let|class|export|import)\b/.test(lines[L]||'')&&/[;}]\s*$/.test(lines[L-1]);
let first=null;
for(let L=1;L<lines.length;L++){ if(!bound(L))continue; if(!ok(L)){first=L;break;} }
if(first){ for(let L=first-1;L>0;L--){ if(!bound(L))continue; if(ok(L)){console.log('between',L+1,first+1); console.log(lines.slice(L,first).filter(l=>/\{\/|\/[^/]*\{[^/]*\/|`/.test(l)).join('\n').slice(0,3000)); break;} } } else console.log('clean');
