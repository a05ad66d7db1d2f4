// The container's entry point: node dns-server/main.ts -conf /etc/coredns/Corefile (the image
// runs the bundle of it: node /app/main.mjs). Memory settings for this process live here, not in
// the server, because programs that embed the server (index.ts) own their heap.
import { runCli, processIo } from './cli.ts';
import { compactAfterStart, tuneHeap } from './memory.ts';

tuneHeap();
runCli(process.argv.slice(2), { ...processIo(), started: compactAfterStart }).then((code) => {
  process.exitCode = code;
});
