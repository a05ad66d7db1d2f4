// Checks "host:port" / ":port" addresses of health, ready and prometheus at parse time.
export function checkAddress(addr: string): string | undefined {
  const i = addr.lastIndexOf(':');
  if (i < 0) return `address "${addr}" has no port; write HOST:PORT or :PORT, e.g. :8080`;
  const port = addr.slice(i + 1);
  if (!/^\d+$/.test(port) || Number(port) > 65535) return `invalid port "${port}" in address "${addr}"; ports are numbers from 0 to 65535`;
  return undefined;
}
