// Characters YAML does not allow unescaped (DEL, the C1 controls, U+FFFE/U+FFFF) and lone UTF-16
// surrogates, in a definition's description or runbook URL: the rule file stays one Prometheus
// loads. The first are written as escapes and read back as they were; a lone surrogate (no Unicode
// character, so not writable in UTF-8 at all) becomes U+FFFD, as a UTF-8 encoder writes it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYaml } from '../src/alerts/yaml.js';

const UNPRINTABLE = ['del \x7f', 'c1 \x80 \x84 \x86 \x9f', 'nonchars \ufffe \uffff'];
const SURROGATES = ['lone high \ud800 end', 'lone low \udfff end'];

/** A rule file with `annotation` in a summary and, with `asKey`, as an annotation name too. */
function ruleFile(annotation: string, asKey = true) {
  return {
    groups: [
      {
        name: 'g',
        rules: [
          {
            alert: 'A',
            expr: 'vector(1)',
            labels: { severity: 'page' },
            annotations: { summary: annotation, ...(asKey ? { [annotation]: 'as a key' } : {}) },
          },
        ],
      },
    ],
  };
}

const promtool = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;

describe('toYaml with characters YAML cannot hold as they are', () => {
  it.each(UNPRINTABLE)('%j is escaped and reads back the same', (text) => {
    const yaml = toYaml(ruleFile(text));
    expect(yaml).not.toMatch(/[\x7f-\x84\x86-\x9f\ufffe\uffff]/);
    const annotations = parse(yaml).groups[0].rules[0].annotations;
    expect(annotations.summary).toBe(text);
    expect(annotations[text]).toBe('as a key');
  });

  it.each(SURROGATES)('%j reads back with U+FFFD for the lone surrogate', (text) => {
    const yaml = toYaml(ruleFile(text));
    const annotations = parse(yaml).groups[0].rules[0].annotations;
    expect(annotations.summary).toBe(text.replace(/[\ud800-\udfff]/, '\ufffd'));
  });

  it.skipIf(!promtool)('promtool check rules loads every one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yaml-unprintable-'));
    [...UNPRINTABLE, ...SURROGATES].forEach((text, i) => {
      const file = join(dir, `r${i}.yml`);
      // Prometheus wants annotation names to be label names: the text goes in the summary only.
      writeFileSync(file, toYaml(ruleFile(text, false)));
      const run = spawnSync('promtool', ['check', 'rules', file]);
      expect(`${run.stdout}${run.stderr}`, JSON.stringify(text)).toContain('SUCCESS');
      expect(run.status).toBe(0);
    });
  });
});
