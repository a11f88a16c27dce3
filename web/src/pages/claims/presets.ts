import { hasRole, type Me } from '../../auth';
import type { ClaimState } from './types';

export interface Preset {
  state: ClaimState;
  label: string;
}

/** The claims each role works on first: what waits for its step (a village: what it still has to send). */
export function presetsFor(me: Me): Preset[] {
  const presets: Preset[] = [];
  if (hasRole(me, 'village')) presets.push({ state: 'draft', label: '草稿' }, { state: 'rejected', label: '已退回' });
  if (hasRole(me, 'township_finance')) presets.push({ state: 'submitted', label: '待鄉鎮審核' });
  if (hasRole(me, 'line_department')) presets.push({ state: 'township_reviewed', label: '待部門審核' });
  if (hasRole(me, 'county_finance')) presets.push({ state: 'line_reviewed', label: '待審批' }, { state: 'approved', label: '待支付' });
  if (hasRole(me, 'county_leader') && !presets.some((p) => p.state === 'line_reviewed')) presets.push({ state: 'line_reviewed', label: '待簽批' });
  return presets;
}
