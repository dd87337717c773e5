/**
 * Apache Spark: batch scoring of a bundle over a {@code Dataset<Row>} on executors (trials as tasks and DL4J's Spark
 * training are planned). Spark is a provided dependency: on the class path only under spark-submit or in tests.
 * Imports export, config and data.
 */
package org.oncobench.cluster;
