import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli.js';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const repoDir = join(packageDir, '..', '..');
export const binPath = join(packageDir, 'dist', 'bin.js');
export const fixture = (name: string) => join(packageDir, 'test', 'fixtures', name);
export const example = (name: string) => join(packageDir, 'examples', name);

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI (`node dist/bin.js ...`) as a user would, and waits for it to exit. The
 * kill after two minutes only keeps a hung run from hanging the suite; no test depends on it.
 */
export function runBin(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; command?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      options.command ?? process.execPath,
      options.command ? [...args] : [binPath, ...args],
      {
        cwd: options.cwd ?? packageDir,
        env: { ...process.env, NO_COLOR: undefined, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the CLI in this process, with its output captured: for the cases that start nothing slow. */
export async function runInProcess(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; isTTY?: boolean } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: {
      write: (t: string) => {
        stdout += t;
      },
      isTTY: options.isTTY ?? false,
    },
    stderr: {
      write: (t: string) => {
        stderr += t;
      },
    },
    env: options.env ?? { PATH: process.env.PATH },
    cwd: options.cwd ?? packageDir,
  });
  return { code, stdout, stderr };
}

/** One element of a parsed XML document. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * A strict parser for the XML subset JUnit reports use (elements, attributes, text, the XML
 * declaration): throws on unbalanced or stray tags and on raw `<` or `&` in text, so a report that
 * a CI server would reject fails the test.
 */
export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#root', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: a tokenizer loop
  while ((m = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text))
        throw new Error(`unescaped & in ${JSON.stringify(text.slice(0, 40))}`);
      top.text += unescapeXml(text);
    } else if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const a of (attrs ?? '').matchAll(/([\w.-]+)="([^"]*)"/g))
        attributes[a[1]!] = unescapeXml(a[2]!);
      const element: XmlElement = { name: name!, attributes, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (consumed !== body.length)
    throw new Error(`cannot parse XML at ${JSON.stringify(body.slice(consumed, consumed + 40))}`);
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1) throw new Error('an XML document has one root element');
  return root.children[0]!;
}
