import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { findCitedRules, type RuleCitation } from './find-cited-rules.ts';
import { parseSpec, type ParsedSpec, type SpecProblem, type SpecRule } from './parse-spec.ts';

export interface SpecsCheckResult {
  /** One `file:line: message` line per problem, sorted by file and line. */
  problems: string[];
  summary: string;
}

interface SpecFile extends ParsedSpec {
  file: string;
}

const SPECS_DIRECTORY = 'specs';
const NOT_A_SPEC = 'README.md';

export async function checkSpecs({ rootDir }: { rootDir: string }): Promise<SpecsCheckResult> {
  const specs = await readSpecs(rootDir);
  if (specs === undefined) {
    return {
      problems: [formatProblem({ file: `${SPECS_DIRECTORY}/`, line: 1, message: 'directory not found' })],
      summary: 'specs: no specs directory',
    };
  }
  const citations = await findCitedRules(rootDir);
  const citedIds = new Set(citations.map((citation) => citation.id));
  const rulesToProve = specs.flatMap((spec) => spec.rules.filter((rule) => !rule.deprecated));
  const provenCount = rulesToProve.filter((rule) => citedIds.has(rule.id)).length;

  const problems = [
    ...specs.flatMap((spec) => spec.problems),
    ...findDuplicateRuleIds(specs),
    ...findUnprovenRules(specs, citedIds),
    ...findUnknownCitations(specs, citations),
  ];
  return {
    problems: sortProblems(problems).map(formatProblem),
    summary: `specs: ${specs.length} files, ${rulesToProve.length} rules, ${provenCount} proven`,
  };
}

async function readSpecs(rootDir: string): Promise<SpecFile[] | undefined> {
  const specsDirectory = path.join(rootDir, SPECS_DIRECTORY);
  let entries: string[];
  try {
    entries = await readdir(specsDirectory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const specFileNames = entries.filter((name) => name.endsWith('.md') && name !== NOT_A_SPEC).sort();
  return Promise.all(
    specFileNames.map(async (name) => {
      const file = `${SPECS_DIRECTORY}/${name}`;
      const source = await readFile(path.join(specsDirectory, name), 'utf8');
      return { file, ...parseSpec(file, source) };
    }),
  );
}

function findDuplicateRuleIds(specs: SpecFile[]): SpecProblem[] {
  const firstDefinitions = new Map<string, string>();
  const problems: SpecProblem[] = [];
  for (const { spec, rule } of allRules(specs)) {
    const firstDefinition = firstDefinitions.get(rule.id);
    if (firstDefinition === undefined) {
      firstDefinitions.set(rule.id, `${spec.file}:${rule.line}`);
    } else {
      problems.push({ file: spec.file, line: rule.line, message: `rule ${rule.id} is already defined at ${firstDefinition}` });
    }
  }
  return problems;
}

function findUnprovenRules(specs: SpecFile[], citedIds: Set<string>): SpecProblem[] {
  return allRules(specs)
    .filter(({ spec, rule }) => spec.frontMatter?.status === 'active' && !rule.deprecated && !citedIds.has(rule.id))
    .map(({ spec, rule }) => ({ file: spec.file, line: rule.line, message: `rule ${rule.id} has no test naming it` }));
}

function findUnknownCitations(specs: SpecFile[], citations: RuleCitation[]): SpecProblem[] {
  const knownIds = new Set(allRules(specs).map(({ rule }) => rule.id));
  return citations
    .filter((citation) => !knownIds.has(citation.id))
    .map(({ id, file, line }) => ({ file, line, message: `test title names rule ${id}, which no spec defines` }));
}

function allRules(specs: SpecFile[]): { spec: SpecFile; rule: SpecRule }[] {
  return specs.flatMap((spec) => spec.rules.map((rule) => ({ spec, rule })));
}

function sortProblems(problems: SpecProblem[]): SpecProblem[] {
  return problems.toSorted((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function formatProblem({ file, line, message }: SpecProblem): string {
  return `${file}:${line}: ${message}`;
}
