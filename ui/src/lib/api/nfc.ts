// Unicode NFC for everything the UI sends: a Vietnamese input method may type "ệ" as "e" plus
// two combining marks (NFD); Rust normalises too, this keeps what is sent and compared equal.

/** A deep copy of `value` with every string NFC-normalised. */
export function nfcDeep<T>(value: T): T {
	if (typeof value === 'string') return value.normalize('NFC') as T;
	if (Array.isArray(value)) return value.map((v) => nfcDeep(v)) as T;
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = nfcDeep(v);
		return out as T;
	}
	return value;
}
