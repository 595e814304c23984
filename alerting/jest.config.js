/** Unit tests: rules, catalogue and holiday table checked offline; promtool and amtool checks are test/run.sh. */
module.exports = require('../jest.base.js');
