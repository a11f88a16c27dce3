import type { PageRoute } from '../../nav';

export const routes: PageRoute[] = [];
