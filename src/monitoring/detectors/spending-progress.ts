import { Detector } from '../domain/detector';

export const SPENDING_DETECTORS: readonly Detector[] = [];
