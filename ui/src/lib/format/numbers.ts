// Numbers shown the Vietnamese way (10.000), through Intl.

const vi = new Intl.NumberFormat('vi-VN');
const en = new Intl.NumberFormat('en-GB');

export function formatNumber(n: number | null | undefined, lang: 'vi' | 'en' = 'vi'): string {
	if (n === null || n === undefined) return '';
	return (lang === 'en' ? en : vi).format(n);
}

/** Digits only (an integer field's content), or null when empty. */
export function digitsToInt(text: string): number | null {
	const d = text.replace(/\D/g, '');
	return d ? Number(d) : null;
}
