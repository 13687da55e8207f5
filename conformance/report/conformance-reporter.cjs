/* eslint-disable @typescript-eslint/no-require-imports */
// Jest loads reporters without its transform; tsx lets the reporter stay TypeScript.
require('tsx/cjs/api').register();
module.exports = require('./conformance-reporter.ts').default;
