/** Fixture tests spawn preloaded child processes, so they need room. */
module.exports = { ...require('../../jest.base.js'), testTimeout: 60000 };
