import { Detector } from '../domain/detector';

export const RETENTION_CAP_DETECTORS: readonly Detector[] = [];
