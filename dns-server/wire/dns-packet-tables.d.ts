// dns-packet's type and class tables (CommonJS files without their own declarations).
declare module 'dns-packet/types.js' {
  const types: { toString(n: number): string; toType(s: string): number };
  export default types;
}
declare module 'dns-packet/classes.js' {
  const classes: { toString(n: number): string; toClass(s: string): number };
  export default classes;
}
