// A static single-page app: everything renders in the webview, nothing on a server.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
