import { parseDocument } from 'yaml';
import { z } from 'zod';

export interface SpecProblem {
  file: string;
  line: number;
  message: string;
}

export interface SpecRule {
  id: string;
  text: string;
  line: number;
  deprecated: boolean;
}

export type SpecFrontMatter = z.infer<typeof frontMatterSchema>;

export interface ParsedSpec {
  frontMatter: SpecFrontMatter | undefined;
  rules: SpecRule[];
  problems: SpecProblem[];
}

type ReportProblem = (line: number, message: string) => void;

const RULE_ID = '[A-Z]{2,5}-\\d{3}';
const RULE_ID_IN_TEXT = new RegExp(`\\b${RULE_ID}\\b`, 'g');
const RULE_LINE = new RegExp(`^- \\*\\*(${RULE_ID})\\*\\* (.*\\S)\\s*$`);
// Any list item led by bold text or by something id-shaped is meant as a rule,
// so it is reported when it does not match RULE_LINE instead of being skipped.
const RULE_CANDIDATE_LINE = /^\s*[-*+]\s+(?:\*\*|[A-Za-z]{2,5}-\d)/;
const RULE_KEYWORD = /\b(?:MUST|CANNOT|ALWAYS|NEVER)\b/;
const DEPRECATED_MARKER = '(deprecated)';
const EDGE_CASES_HEADING = /^##\s+Edge cases\s*$/i;
const CODE_FENCE = /^\s*(?:```|~~~)/;
const FRONT_MATTER_DELIMITER = '---';

export function findRuleIds(text: string): string[] {
  return text.match(RULE_ID_IN_TEXT) ?? [];
}

const frontMatterSchema = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty'),
  'bounded-context': z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case'),
  status: z.enum(['draft', 'active', 'deprecated']),
  'last-reviewed': z.iso
    .date({ error: 'must be a date YYYY-MM-DD' })
    .refine((date) => date <= latestCurrentDate(), 'must not be in the future'),
});

// The date in the timezone furthest ahead (UTC+14), so a review dated "today"
// by anyone anywhere is never reported as being in the future.
function latestCurrentDate(): string {
  const fourteenHoursMs = 14 * 60 * 60 * 1000;
  return new Date(Date.now() + fourteenHoursMs).toISOString().slice(0, 10);
}

export function parseSpec(file: string, source: string): ParsedSpec {
  const lines = source.split(/\r?\n/);
  const problems: SpecProblem[] = [];
  const report: ReportProblem = (line, message) => problems.push({ file, line, message });

  const frontMatterEnd = findFrontMatterEnd(lines);
  let frontMatter: SpecFrontMatter | undefined;
  if (frontMatterEnd === undefined) {
    report(1, `missing or unclosed front matter ("${FRONT_MATTER_DELIMITER}" lines at the top of the file)`);
  } else {
    frontMatter = parseFrontMatter(lines.slice(1, frontMatterEnd), report);
  }

  const bodyStart = frontMatterEnd === undefined ? 0 : frontMatterEnd + 1;
  const { rules, hasEdgeCasesSection } = parseBody(lines, bodyStart, report);

  if (frontMatter?.status === 'active' && !hasEdgeCasesSection) {
    report(1, 'an active spec must have a "## Edge cases" section');
  }
  return { frontMatter, rules, problems };
}

/** Index of the closing delimiter line, or undefined when there is no front matter. */
function findFrontMatterEnd(lines: string[]): number | undefined {
  if (lines[0]?.trimEnd() !== FRONT_MATTER_DELIMITER) return undefined;
  const end = lines.findIndex((line, index) => index > 0 && line.trimEnd() === FRONT_MATTER_DELIMITER);
  return end === -1 ? undefined : end;
}

/** `yamlLines` start on file line 2, right after the opening delimiter. */
function parseFrontMatter(
  yamlLines: string[],
  report: ReportProblem,
): SpecFrontMatter | undefined {
  const toFileLine = (yamlLine: number) => yamlLine + 1;
  const document = parseDocument(yamlLines.join('\n'));
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      // yaml appends its own position, relative to the front matter, and a code frame.
      const reason = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
      report(toFileLine(error.linePos?.[0].line ?? 0), `front matter is not valid YAML: ${reason}`);
    }
    return undefined;
  }

  const data: unknown = document.toJS();
  const result = frontMatterSchema.safeParse(data);
  if (result.success) return result.data;

  const lineOfKey = (key: string) => {
    const index = yamlLines.findIndex((line) => line.startsWith(`${key}:`));
    return index === -1 ? 1 : toFileLine(index + 1);
  };
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) report(lineOfKey(key), `front matter has unknown key "${key}"`);
      continue;
    }
    const key = issue.path.map(String).join('.');
    if (key === '') {
      report(1, `front matter must be a mapping of ${Object.keys(frontMatterSchema.shape).join(', ')}`);
      continue;
    }
    const isMissing = typeof data === 'object' && data !== null && !(key in data);
    report(lineOfKey(key), `front matter "${key}": ${isMissing ? 'is required' : issue.message}`);
  }
  return undefined;
}

function parseBody(
  lines: string[],
  bodyStart: number,
  report: ReportProblem,
): { rules: SpecRule[]; hasEdgeCasesSection: boolean } {
  const rules: SpecRule[] = [];
  let hasEdgeCasesSection = false;
  let insideCodeBlock = false;

  for (let index = bodyStart; index < lines.length; index++) {
    const text = lines[index] ?? '';
    const line = index + 1;
    if (CODE_FENCE.test(text)) insideCodeBlock = !insideCodeBlock;
    if (insideCodeBlock) continue;
    if (EDGE_CASES_HEADING.test(text)) hasEdgeCasesSection = true;
    if (!RULE_CANDIDATE_LINE.test(text)) continue;

    const match = RULE_LINE.exec(text);
    if (!match) {
      report(line, 'malformed rule line; expected "- **ABC-123** <text with MUST/MUST NOT/CANNOT/ALWAYS/NEVER>"');
      continue;
    }
    const [, id = '', ruleText = ''] = match;
    if (!RULE_KEYWORD.test(ruleText)) {
      report(line, `rule ${id} needs one of the keywords MUST, MUST NOT, CANNOT, ALWAYS, NEVER`);
    }
    rules.push({ id, text: ruleText, line, deprecated: ruleText.endsWith(DEPRECATED_MARKER) });
  }
  return { rules, hasEdgeCasesSection };
}
