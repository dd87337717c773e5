/**
 * picocli commands only: parse arguments, call one service, print, map errors to exit codes (0 ok, 2 the user's
 * mistake, 1 internal failure, 130 interrupted). May import every other package; nothing imports cli.
 */
package org.oncobench.cli;
