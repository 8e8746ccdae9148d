// One shared one-second clock for every countdown on screen; it runs only while something
// displays it.

export const clock = $state({ now: Date.now() });

let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/** Starts the clock for one user; returns the function that releases it. */
export function useClock(): () => void {
	users++;
	if (timer === null) {
		clock.now = Date.now();
		timer = setInterval(() => (clock.now = Date.now()), 1000);
	}
	return () => {
		users--;
		if (users <= 0 && timer !== null) {
			clearInterval(timer);
			timer = null;
			users = 0;
		}
	};
}
