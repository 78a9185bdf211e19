import type { RunningPlatform } from '../app/index.js';

/** Formats the start-up message: where the platform listens, the admin key, and a first command to try. */
export function formatBanner(platform: RunningPlatform): string {
  const lines = ['', `Lumio Integrations is listening on ${platform.url}`, `  Health:           ${platform.url}/health`, `  Studio:           ${platform.url}/studio`, `  API reference:    ${platform.url}/v1/docs`];

  if (platform.admin.createdKey) {
    lines.push(`  Admin API key:    ${platform.admin.createdKey}`);
    lines.push('                    (shown only now: it is stored hashed; set LUMIO_ADMIN_API_KEY to choose your own)');
  } else if (platform.admin.fromEnvironment) {
    lines.push('  Admin API key:    the value of LUMIO_ADMIN_API_KEY');
  } else {
    lines.push('  Admin API key:    printed at the first start; run `npm run lumio -- admin-key` for a new one');
  }

  const demoAdmin = platform.demoAdmin;
  if (demoAdmin?.createdPassword) {
    lines.push(`  Studio login:     ${demoAdmin.email}, password ${demoAdmin.createdPassword}`);
    lines.push('                    (shown only now: it is stored hashed; set LUMIO_ADMIN_PASSWORD to choose your own)');
  } else if (demoAdmin?.created) {
    lines.push(`  Studio login:     ${demoAdmin.email}, with the password in LUMIO_ADMIN_PASSWORD`);
  } else if (demoAdmin) {
    lines.push(`  Studio login:     ${demoAdmin.email} with the password printed at the first start; \`npm run lumio -- create-admin\` adds an admin`);
  }

  const sandbox = platform.sandbox;
  if (sandbox) {
    lines.push('');
    lines.push(`  HubSpot SANDBOX (simulated, fake data, no account): ${sandbox.url}`);
    lines.push(`    access token:   ${sandbox.accessToken}`);
    lines.push(sandbox.connectionId ? '    The workspace\'s "hubspot" connection points at it. Try:' : '    Your HubSpot connection points elsewhere, so the sandbox is idle.');
    if (sandbox.connectionId) {
      const key = platform.admin.createdKey ?? '<admin key>';
      lines.push(`    curl -X POST ${platform.url}/v1/integrations/hubspot/sync -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d '{"type":"contacts","mode":"full"}'`);
      lines.push(`    curl ${platform.url}/v1/integrations/hubspot/status -H 'Authorization: Bearer ${key}'`);
    }
  }

  const rejected = platform.registry.rejected();
  if (rejected.length > 0) {
    lines.push('');
    lines.push(`  ${rejected.length} connector(s) were not loaded because their manifests are invalid: ${rejected.map((r) => r.id).join(', ')} (the log lists why).`);
  }

  lines.push('');
  return lines.join('\n');
}
