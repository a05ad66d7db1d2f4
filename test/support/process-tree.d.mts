export function processTree(root: number): number[];
