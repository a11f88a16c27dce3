import { Detector } from '../domain/detector';

export const CROWDING_OUT_DETECTORS: readonly Detector[] = [];
