import { Detector } from '../domain/detector';

export const DUPLICATE_DETECTORS: readonly Detector[] = [];
