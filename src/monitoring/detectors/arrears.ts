import { Detector } from '../domain/detector';

export const ARREARS_DETECTORS: readonly Detector[] = [];
