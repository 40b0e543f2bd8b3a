#!/usr/bin/env node
import { main } from '../dist/openmates.js';

process.exitCode = await main(process.argv.slice(2));
