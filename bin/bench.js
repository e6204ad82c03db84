#!/usr/bin/env node
'use strict';
// `npm run bench`: runs the compiled benchmark, dist/bench/index.js (see ensure-dist.js).
const { ensureDist } = require('./ensure-dist');

// The SDK's notice that its 2027 releases need Node 22 (the project targets Node 20) is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require(ensureDist('bench/index.js'));
