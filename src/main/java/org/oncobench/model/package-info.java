/**
 * One class per architecture and a registry from the config's {@code model.kind}. Builds DL4J networks from
 * config records; imports only config.
 */
package org.oncobench.model;
