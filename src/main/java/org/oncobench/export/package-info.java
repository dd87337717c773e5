/**
 * Export for production teams: the verifiable model bundle (writer and reader with a SHA-256 manifest), the model
 * card, the {@link org.oncobench.export.Predictor} over domain inputs, batch scoring and the REST service. Imports
 * config, data and runs.
 */
package org.oncobench.export;
