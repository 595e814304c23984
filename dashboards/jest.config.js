/** Unit tests: dashboards and rules are checked offline; the live queries run in test/e2e. */
module.exports = require('../jest.base.js');
