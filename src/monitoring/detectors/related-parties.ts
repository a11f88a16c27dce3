import { Detector } from '../domain/detector';

export const RELATED_PARTY_DETECTORS: readonly Detector[] = [];
