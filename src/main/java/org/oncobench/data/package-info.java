/**
 * Readers per source format, the Cohort (rows as indexes into per-entity feature tables), splits, training-only
 * transforms, batch iterators that gather rows, and the synthetic cohort generator. Imports only config.
 */
package org.oncobench.data;
