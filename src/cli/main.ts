// The quarry command: the CLI (program.ts) bound to this process and the real engine.
import { openQueryEngine } from './engine-factory.js';
import { runProcess } from './run-process.js';

await runProcess(openQueryEngine);
