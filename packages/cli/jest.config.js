/** Contract tests run the compiled CLI (dist/main.js) in child processes against fake backends on 127.0.0.1. */
module.exports = { ...require('../../jest.base.js'), testTimeout: 30000 };
