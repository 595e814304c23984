/** Unit tests: the exposition parser, the address book, and the clients against local fake servers. */
module.exports = require('../../jest.base.js');
