import { Detector } from '../domain/detector';

export const PUBLICITY_DETECTORS: readonly Detector[] = [];
