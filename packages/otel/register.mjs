// `node --import @o4o/otel/register app.mjs`
// Installs the ESM loader hook first, so that `import express from 'express'` is
// patched like `require('express')`. Only modules an instrumentation asked for are
// intercepted, which keeps the hook cheap.
import { isMainThread } from 'node:worker_threads';
import { createRequire, register } from 'node:module';

// Node 26 deprecates module.register() (DEP0205) and warns on the app's stderr when it is
// called: there the hook runs in-thread through module.registerHooks() instead, with the same
// list of modules to intercept. Node 22 keeps the loader thread.
const IN_THREAD_HOOKS = Number(process.versions.node.split('.')[0]) >= 26;

if (isMainThread) {
  const require = createRequire(import.meta.url);
  try {
    const { createAddHookMessageChannel } = require('import-in-the-middle');
    const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
    if (IN_THREAD_HOOKS) {
      const hooks = await import('import-in-the-middle/register-hooks.mjs');
      hooks.register(registerOptions.data);
    } else {
      register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
    }
    require('./dist/register.js');
    await waitForAllMessagesAcknowledged();
  } catch (error) {
    process.stderr.write(`@o4o/otel: ESM hook could not be installed (${error?.message ?? error}); ESM modules are not instrumented\n`);
    require('./dist/register.js');
  }
}
