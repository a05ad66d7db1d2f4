export function statFields(pid: number): string[] | undefined;
export function processTree(root: number): number[];
export function pidAlive(pid: number): boolean;
