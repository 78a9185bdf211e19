import { relative } from 'node:path';

import type { ConnectorDirectoryResult, ManifestIssue } from '../validate/index.js';

/** Formats one issue as `<file>#<pointer>: <message> (expected …; did you mean …?)`. */
export function formatIssueLine(file: string, issue: ManifestIssue): string {
  const details: string[] = [];
  // Type and format messages already name what was expected.
  if (issue.expected !== undefined && !issue.message.includes(issue.expected)) details.push(`expected ${issue.expected}`);
  // A suggestion equal to the one expected value adds nothing to "expected 'x'".
  if (issue.suggestion !== undefined && `'${issue.suggestion}'` !== issue.expected) details.push(`did you mean '${issue.suggestion}'?`);
  const suffix = details.length === 0 ? '' : ` (${details.join('; ')})`;
  return `${file}#${issue.pointer}: ${issue.message}${suffix}`;
}

/** Formats the text report: every issue, one line per valid file, and a summary line. */
export function formatTextReport(results: ConnectorDirectoryResult[], workingDirectory: string): string {
  const lines: string[] = [];
  for (const result of results) {
    const file = displayPath(result.manifestPath, workingDirectory);
    if (result.valid) {
      lines.push(`${file}: valid`);
    } else {
      lines.push(...result.errors.map((issue) => formatIssueLine(file, issue)));
    }
  }

  const invalid = results.filter((result) => !result.valid);
  const issueCount = invalid.reduce((sum, result) => sum + result.errors.length, 0);
  const noun = results.length === 1 ? 'manifest' : 'manifests';
  const summary =
    invalid.length === 0
      ? `Checked ${results.length} ${noun}: all valid.`
      : `Checked ${results.length} ${noun}: ${results.length - invalid.length} valid, ${invalid.length} invalid with ${issueCount} issue${issueCount === 1 ? '' : 's'}.`;
  lines.push('', summary);
  return lines.join('\n');
}

/** Formats the --json report: one entry per manifest with its file path relative to the working directory. */
export function formatJsonReport(results: ConnectorDirectoryResult[], workingDirectory: string): string {
  const report = {
    valid: results.every((result) => result.valid),
    results: results.map((result) => ({
      file: displayPath(result.manifestPath, workingDirectory),
      valid: result.valid,
      errors: result.errors,
    })),
  };
  return JSON.stringify(report, null, 2);
}

function displayPath(path: string, workingDirectory: string): string {
  const relativePath = relative(workingDirectory, path);
  return relativePath === '' || relativePath.startsWith('..') ? path : relativePath;
}
