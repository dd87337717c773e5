/**
 * HTTP plumbing the browser UI and the REST service share: where a server may listen ({@link org.oncobench.http.BindAddress})
 * and the access token a server beyond loopback requires ({@link org.oncobench.http.AccessToken}). Imports only config.
 */
package org.oncobench.http;
