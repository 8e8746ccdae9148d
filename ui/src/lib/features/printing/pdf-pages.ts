// A form's PDF as page images for the preview, with pdf.js (pdfjs-dist, pinned). The library
// and its worker are bundled with the app (no network) and loaded the first time a preview is
// shown, so the other screens do not carry them.

import type * as PdfJs from 'pdfjs-dist';

let loading: Promise<typeof PdfJs> | null = null;

function pdfjs(): Promise<typeof PdfJs> {
	loading ??= Promise.all([
		import('pdfjs-dist'),
		import('pdfjs-dist/build/pdf.worker.min.mjs?url')
	]).then(([lib, worker]) => {
		lib.GlobalWorkerOptions.workerSrc = worker.default;
		return lib;
	});
	return loading;
}

/**
 * Renders every page of `pdf` to a PNG data URL `width` pixels wide (the canvas is freed once
 * encoded). The forms embed their fonts, so no font or CMap files are fetched; no `eval` (the
 * app's content security policy forbids it).
 */
export async function renderPages(pdf: Uint8Array, width: number): Promise<string[]> {
	const lib = await pdfjs();
	const doc = await lib.getDocument({ data: pdf, isEvalSupported: false, enableXfa: false })
		.promise;
	try {
		const pages: string[] = [];
		for (let n = 1; n <= doc.numPages; n++) {
			const page = await doc.getPage(n);
			const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
			const canvas = document.createElement('canvas');
			canvas.width = Math.round(viewport.width);
			canvas.height = Math.round(viewport.height);
			await page.render({ canvas, viewport }).promise;
			pages.push(canvas.toDataURL('image/png'));
			canvas.width = canvas.height = 0;
			page.cleanup();
		}
		return pages;
	} finally {
		await doc.destroy();
	}
}

/** Pixel width to render at: the shown width times the screen's density (at most 2×). */
export function renderWidth(cssWidth: number, devicePixelRatio: number): number {
	return Math.round(cssWidth * Math.min(2, Math.max(1, devicePixelRatio || 1)));
}
