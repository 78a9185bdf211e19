// Writes plugin-sdk/src/generated/* from the JSON Schemas in schemas/.
// Run from the repository root with `npm run generate:types`.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { GENERATED_DIRECTORY, renderGeneratedFiles } from './type-generation/index.js';

const files = await renderGeneratedFiles();
await mkdir(GENERATED_DIRECTORY, { recursive: true });
for (const file of files) {
  const target = new URL(file.fileName, GENERATED_DIRECTORY);
  await writeFile(target, file.contents);
  console.log(`wrote ${fileURLToPath(target)}`);
}
