// Each test process installs the Temporal runtime with our pino bridge at warn level, so the run's
// output shows failures rather than every worker state change.
import { createLogger, installTemporalRuntime } from '../../worker/logger';

installTemporalRuntime(createLogger(process.env.LOG_LEVEL ?? 'warn'));
