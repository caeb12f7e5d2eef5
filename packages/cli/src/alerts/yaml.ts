// A YAML writer for the rule and test files: block mappings and sequences of plain data, every
// string double-quoted (a JSON string is a valid YAML double-quoted scalar), so that no PromQL
// expression, label value or URL can be read back as anything else.

/** Plain data the writer accepts. */
export type YamlValue =
  | string
  | number
  | boolean
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue | undefined };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words some YAML readers (1.1: Go's yaml.v2) take for a boolean or null, even as keys. */
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

/** A lone UTF-16 surrogate: no Unicode character, so nothing UTF-8 (or YAML) can hold. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** What JSON leaves as it is but YAML does not allow unescaped: DEL, C1 controls but NEL, U+FFFE/F. */
const NOT_PRINTABLE = /[\x7f-\x84\x86-\x9f\ufffe\uffff]/g;

/**
 * A YAML double-quoted scalar: the JSON string, with the characters YAML wants escaped as `\uXXXX`
 * and a lone surrogate as U+FFFD (what a UTF-8 encoder writes for it).
 */
function quoted(text: string): string {
  return JSON.stringify(text.replace(LONE_SURROGATE, '\ufffd')).replace(
    NOT_PRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function key(name: string): string {
  return PLAIN_KEY.test(name) && !RESERVED.test(name) ? name : quoted(name);
}

function scalar(value: string | number | boolean): string {
  return typeof value === 'string' ? quoted(value) : String(value);
}

function isScalar(value: YamlValue): value is string | number | boolean {
  return typeof value !== 'object';
}

function lines(value: YamlValue, indent: string): string[] {
  if (isScalar(value)) return [`${indent}${scalar(value)}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return (value as readonly YamlValue[]).flatMap((item) => {
      if (isScalar(item)) return [`${indent}- ${scalar(item)}`];
      const inner = lines(item, `${indent}  `);
      return [`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
    });
  }
  const entries = Object.entries(value as Record<string, YamlValue | undefined>).filter(
    (entry): entry is [string, YamlValue] => entry[1] !== undefined,
  );
  if (entries.length === 0) return [`${indent}{}`];
  return entries.flatMap(([name, item]) => {
    if (isScalar(item)) return [`${indent}${key(name)}: ${scalar(item)}`];
    if (Array.isArray(item) && item.length === 0) return [`${indent}${key(name)}: []`];
    if (!Array.isArray(item) && Object.keys(item).length === 0)
      return [`${indent}${key(name)}: {}`];
    return [`${indent}${key(name)}:`, ...lines(item, `${indent}  `)];
  });
}

/** The YAML text of `value`, ending in a newline. */
export function toYaml(value: YamlValue): string {
  return `${lines(value, '').join('\n')}\n`;
}
