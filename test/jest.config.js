/** End-to-end suites share one running stack, so they run one at a time. */
module.exports = { ...require('../jest.base.js'), roots: ['<rootDir>/e2e'], testTimeout: 180000, maxWorkers: 1 };
