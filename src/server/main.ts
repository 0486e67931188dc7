// The language server's entry point, bundled to dist/server.js: the VS Code client starts it as
// a separate Node process and talks to it over stdio (`--stdio`, the only transport offered).
import { startStdioLanguageServer } from './stdio';

startStdioLanguageServer();
