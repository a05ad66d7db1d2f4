// RFC 7386 JSON Merge Patch (kubectl patch --type=merge, kubectl scale).
import { copyJson } from '../json-copy.ts';
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return copyJson(patch);
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? copyJson(target as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
