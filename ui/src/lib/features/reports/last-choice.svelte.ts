// The period last reported on, kept in memory while the app runs (never on disk): coming back
// to Báo cáo after fixing a record shows that period again, counted anew.

import type { PeriodKind } from './period';

export type Choice = { kind: PeriodKind; year: number; index: number; from: string; to: string };

export const lastChoice = $state<{ value: Choice | null }>({ value: null });
