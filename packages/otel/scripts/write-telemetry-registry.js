#!/usr/bin/env node
// Writes telemetry-registry.json, the machine-readable copy of the business
// telemetry registry (src/telemetry-registry.ts) that dashboards and alert rules
// read. Run after `pnpm run build`; test/telemetry-registry.test.ts fails when
// the committed file and the table disagree.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { registryDocument } = require('../dist/telemetry-registry.js');

const file = join(__dirname, '..', 'telemetry-registry.json');
writeFileSync(file, `${JSON.stringify(registryDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
