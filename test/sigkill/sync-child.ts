// The engine as the SIGKILL test runs it: the real CLI, bundled so a child starts in ~0.2 s.
import { main } from '../../src/main/cli/main';

process.exitCode = await main(process.argv.slice(2));
