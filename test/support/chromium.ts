/** Debian's Chromium: Playwright's own browser download cannot work where the service is built and tested. */
export const CHROMIUM = '/usr/bin/chromium';
/** Headless, and nothing of Chromium's own that would reach for the network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
