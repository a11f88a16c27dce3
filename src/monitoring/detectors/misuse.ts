import { Detector } from '../domain/detector';

export const MISUSE_DETECTORS: readonly Detector[] = [];
