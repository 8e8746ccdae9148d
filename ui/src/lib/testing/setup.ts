// Run before every test file (vite.config.ts `test.setupFiles`): each test starts without the
// drafts an earlier test left typed in a form (state/drafts.ts lives as long as the module).
import { afterEach } from 'vitest';
import { dropAllDrafts } from '$lib/state/drafts';

afterEach(() => dropAllDrafts());
