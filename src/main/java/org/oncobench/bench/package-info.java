/**
 * The benchmark suite behind {@code oncobench bench}: training throughput, data-pipeline share, end-to-end wall
 * time, peak RSS, batch-predict throughput and serve latency, written as JSON and markdown. Imports every package
 * but cli (it drives them as a user would).
 */
package org.oncobench.bench;
