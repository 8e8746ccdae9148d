// The record just deleted from its profile, for the children list to say so and offer to undo.
// Set by the profile right before it goes to the list; the list forgets it when it closes.

export type DeletedNotice = { id: string; name: string };

export const deletedNotice = $state<{ current: DeletedNotice | null }>({ current: null });
