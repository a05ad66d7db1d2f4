// curl -L's choice of the next request (lib/http.c's redirect handling, curl 7.88 and 8.x alike):
// 300, 301, 302, 303, 307 and 308 with a Location are followed, the Location resolved against the
// URL asked; 301 and 302 turn a POST into a GET without its body, 303 turns anything but HEAD
// into a GET, 307 and 308 keep the method and the body. A method given with -X stays the
// method of every request (the body still goes as above), as curl warns it does.

export interface NextRequest { url: string; method: string; data?: string }

export function redirect(
  status: number, location: string, current: string, method: string, data: string | undefined, customMethod: boolean,
): NextRequest | undefined {
  if (![300, 301, 302, 303, 307, 308].includes(status)) return undefined;
  let url: string;
  try {
    url = new URL(location, /^[a-z]+:\/\//i.test(current) ? current : `http://${current}`).href;
  } catch {
    return undefined;
  }
  const toGet = ((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'HEAD');
  if (!toGet) return { url, method, data };
  return { url, method: customMethod ? method : 'GET', data: undefined };
}

/** a response header's value by name, from node's rawHeaders list */
export function headerValue(rawHeaders: string[], name: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) return rawHeaders[i + 1];
  return undefined;
}

/** the host of the URL the user gave (Authorization and Cookie go only there) */
export function firstHost(url: string): string {
  return /^(?:[a-z]+:\/\/)?([^/:?#]+|\[[^\]]+\])/i.exec(url)?.[1] ?? '';
}
