/** The reference page's only style sheet, inline, so the page loads nothing else. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --border: #8884; --muted: #777; }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; display: flex; }
nav { position: sticky; top: 0; height: 100vh; overflow-y: auto; width: 25rem; flex: none; padding: 1rem; border-right: 1px solid var(--border); box-sizing: border-box; font-size: 13px; }
nav h1 { font-size: 1.1rem; margin: 0; }
nav ul { list-style: none; padding-left: 0.75rem; margin: 0.25rem 0; }
nav a { text-decoration: none; color: inherit; }
nav ul ul a { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
main { padding: 1rem 2rem; max-width: 64rem; min-width: 0; }
.version { color: var(--muted); margin-top: 0; }
.operation { border: 1px solid var(--border); border-radius: 6px; padding: 0 1rem 0.5rem; margin: 1rem 0; }
.method { display: inline-block; min-width: 3.6em; text-align: center; font: bold 12px monospace; padding: 2px 4px; border-radius: 3px; color: #fff; background: #666; }
.method.get { background: #2a7ab0; } .method.post { background: #2e8b57; } .method.put { background: #b8860b; } .method.delete { background: #b22222; } .method.patch { background: #6a5acd; }
.path { font-size: 1rem; }
.summary { font-weight: 600; }
.access, .note, .media { color: var(--muted); font-size: 13px; margin: 0.25rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
td { border-top: 1px solid var(--border); padding: 4px 6px; vertical-align: top; }
td:first-child { white-space: nowrap; }
.required { color: #c0392b; font-size: 11px; }
.status { font: bold 13px monospace; }
.status.s2 { color: #2e8b57; } .status.s3 { color: #2a7ab0; } .status.s4, .status.s5 { color: #b22222; }
.schema { border-top: 1px solid var(--border); }
code { font-size: 0.95em; }
`;
