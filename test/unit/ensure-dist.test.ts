/**
 * bin/ensure-dist.js's pruneDist: outputs of sources that are gone are removed (tsc never deletes,
 * and a stale dist/x.js shadows a newer dist/x/index.js), outputs of existing sources stay.
 */
import fs from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pruneDist, root } = require('../../bin/ensure-dist.js') as { pruneDist(): void; root: string };

describe('pruneDist', () => {
  const dist = path.join(root, 'dist');
  const staleDir = path.join(dist, 'zz-prune-test');
  const staleFile = path.join(dist, 'zz-prune-test.js');
  const kept = path.join(dist, 'cli', 'index.js');

  afterEach(() => {
    fs.rmSync(staleDir, { recursive: true, force: true });
    fs.rmSync(staleFile, { force: true });
  });

  it('removes compiled files whose source is gone, and folders left empty', () => {
    if (!fs.existsSync(kept)) throw new Error('dist/ is not built (npm run build)');
    fs.mkdirSync(staleDir, { recursive: true });
    fs.writeFileSync(path.join(staleDir, 'index.js'), 'stale');
    fs.writeFileSync(path.join(staleDir, 'index.js.map'), '{}');
    fs.writeFileSync(staleFile, 'stale');
    pruneDist();
    expect(fs.existsSync(staleFile)).toBe(false);
    expect(fs.existsSync(staleDir)).toBe(false);
    expect(fs.existsSync(kept)).toBe(true);
  });
});
