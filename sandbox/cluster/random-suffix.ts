// The 5-character random suffix of generated names (generateName, ReplicaSet pods, EndpointSlices,
// the kube-api-access volume): one helper for the store, admission and the controllers.
import { randomInt } from 'node:crypto';

// The alphabet of apimachinery's rand.String: no vowels (no words) and no confusable 0/1/3.
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return s;
}
