import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['localStorage', 'baseLocale'],
			emitTsDeclarations: true
		}),
		sveltekit({
			compilerOptions: {
				// Runes everywhere in the project; libraries decide for themselves.
				runes: ({ filename }) =>
					filename.split(/[/\\]/).includes('node_modules') ? undefined : true
			},
			adapter: adapter({ fallback: 'index.html' })
		}),
		svelteTesting()
	],
	build: {
		// The slow-plugin report is advice, printed as a warning on a 2-core machine; the build
		// output must stay free of warnings.
		rolldownOptions: { checks: { bundlerTimings: false } }
	},
	test: {
		environment: 'jsdom',
		include: ['src/**/*.test.ts'],
		setupFiles: ['src/lib/testing/setup.ts'],
		// Components' own CSS (and app.css when a test imports it) is applied in jsdom, so a test
		// can check the styles a layout depends on (jsdom computes styles, not layout).
		css: { include: [/.+/] }
	}
});
