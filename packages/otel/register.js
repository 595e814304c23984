'use strict';
// `node --require @o4o/otel/register app.js`
require('./dist/register.js');
