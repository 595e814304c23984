/** Unit tests of the mapping and the HTTP endpoint, and one run against a real OTLP receiver. */
module.exports = { ...require('../../jest.base.js'), testTimeout: 30000 };
