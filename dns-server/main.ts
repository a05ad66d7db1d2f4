// The container's entry point: node --import tsx dns-server/main.ts -conf /etc/coredns/Corefile
import { runCli, processIo } from './cli.ts';

runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
