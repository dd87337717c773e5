/**
 * Studies: search spaces (grid and random), asynchronous successive halving, trials as ordinary runs, the study folder
 * (trials.jsonl, leaderboard.json) and leaderboards with critical-difference diagrams. Imports config, train, runs, eval.
 */
package org.oncobench.study;
