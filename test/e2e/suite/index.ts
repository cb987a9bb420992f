/**
 * Entry of the mocha suite that runs inside the real extension host (loaded via
 * `extensionTestsPath`). Test files are required after mocha has installed its
 * globals; the result line `E2E-RESULT {...}` is what test/e2e/run.mjs counts.
 */
import Mocha from 'mocha';

/** Called by the extension host; resolves when every test passed. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'kube-netsim-e2e', mocha);
  // Required here, not imported: `describe` must exist when these modules load.
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./activation.test');
  require('./diagnostics.test');
  require('./hover.test');
  require('./trace-command.test');
  require('./navigation.test');
  require('./large-file.test');
  require('./quick-fix.test');
  require('./editor-use.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      console.log(`E2E-RESULT ${JSON.stringify({ passed: s?.passes ?? 0, failed: failures })}`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => console.log(`E2E-PASS ${t.fullTitle()}`));
    runner.on('fail', (t, err: Error) => console.log(`E2E-FAIL ${t.fullTitle()}: ${err.message}`));
  });
}
