// Counts in words. Vietnamese has one form ("1 trẻ em", "2 trẻ em"); English has two ("1 child",
// "2 children"), so a counted message has a `_one` twin used for exactly 1 (the sync texts do
// the same). The number itself is formatted by the caller.

/** The `one` message for exactly 1, else `other`, both with the same inputs. */
export function plural<I, O>(n: number, one: (inputs: I, options?: O) => string, other: (inputs: I, options?: O) => string, inputs: I, options?: O): string {
	return n === 1 ? one(inputs, options) : other(inputs, options);
}
