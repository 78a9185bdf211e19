import type { NodeIssueView } from './node-data.js';

export function IssueList({ issues }: { issues: NodeIssueView[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="node-issues">
      {issues.map((issue) => (
        <li key={issue.text} className={issue.severity} data-testid="node-issue">
          {issue.text}
        </li>
      ))}
    </ul>
  );
}
