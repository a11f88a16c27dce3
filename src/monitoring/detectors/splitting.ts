import { Detector } from '../domain/detector';

export const SPLITTING_DETECTORS: readonly Detector[] = [];
