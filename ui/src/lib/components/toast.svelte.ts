// Short confirmations ("Đã lưu") that fade by themselves.

export type Toast = { id: number; text: string; kind: 'info' | 'error' };

export const toasts = $state<Toast[]>([]);

let nextId = 1;

/** Shows `text`; a newer confirmation replaces the one on screen (they never pile up). */
export function showToast(text: string, kind: Toast['kind'] = 'info', ms = 3000): void {
	const id = nextId++;
	toasts.splice(0, toasts.length, { id, text, kind });
	setTimeout(() => {
		const i = toasts.findIndex((t) => t.id === id);
		if (i >= 0) toasts.splice(i, 1);
	}, ms);
}
