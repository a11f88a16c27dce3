import { Detector } from '../domain/detector';

export const DIVERSION_DETECTORS: readonly Detector[] = [];
