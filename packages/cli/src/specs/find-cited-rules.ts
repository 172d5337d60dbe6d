import { glob, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { findRuleIds } from './parse-spec.ts';

export interface RuleCitation {
  id: string;
  file: string;
  line: number;
}

const TEST_FILE_PATTERNS = ['**/*.test.ts', 'e2e/**/*.spec.ts'];
const EXCLUDED_DIRECTORIES = new Set(['node_modules', '.data', 'fixtures', '.git']);
// `test` also covers Playwright's `test(...)` and `test.describe(...)`.
const TEST_FUNCTIONS = new Set(['describe', 'it', 'test']);

/** Rule ids named in test titles of every test file under rootDir; files are repo-relative with `/`. */
export async function findCitedRules(rootDir: string): Promise<RuleCitation[]> {
  const citations: RuleCitation[] = [];
  for (const file of await listTestFiles(rootDir)) {
    const source = await readFile(path.join(rootDir, file), 'utf8');
    citations.push(...findCitationsInTestSource(file, source));
  }
  return citations;
}

async function listTestFiles(rootDir: string): Promise<string[]> {
  const files: string[] = [];
  const matches = glob(TEST_FILE_PATTERNS, {
    cwd: rootDir,
    exclude: (relativePath) => EXCLUDED_DIRECTORIES.has(path.basename(relativePath)),
  });
  for await (const file of matches) files.push(file.split(path.sep).join('/'));
  return files.sort();
}

export function findCitationsInTestSource(file: string, source: string): RuleCitation[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const citations: RuleCitation[] = [];

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isTestFunction(node.expression)) {
      const titleNode = node.arguments[0];
      const title = titleNode && literalTextOf(titleNode);
      if (titleNode && title !== undefined) {
        const { line } = sourceFile.getLineAndCharacterOfPosition(titleNode.getStart(sourceFile));
        for (const id of findRuleIds(title)) citations.push({ id, file, line: line + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return citations;
}

/**
 * True for `it`, `it.concurrent`, `describe.skip`, `test.describe`, and for the calls that
 * `.each(table)` / `.each\`table\`` return, by walking the callee back to its root identifier.
 */
function isTestFunction(callee: ts.Expression): boolean {
  let expression: ts.Expression = callee;
  for (;;) {
    if (ts.isIdentifier(expression)) return TEST_FUNCTIONS.has(expression.text);
    if (ts.isPropertyAccessExpression(expression) || ts.isCallExpression(expression)) {
      expression = expression.expression;
    } else if (ts.isTaggedTemplateExpression(expression)) {
      expression = expression.tag;
    } else {
      return false;
    }
  }
}

/** The literal parts of a string or template title; substitutions become spaces so ids never straddle them. */
function literalTextOf(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
  }
  return undefined;
}
