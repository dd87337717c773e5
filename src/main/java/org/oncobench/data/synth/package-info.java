/**
 * The synthetic cohort generator behind {@code oncobench data synth}: real file layouts (DepMap, GDSC), planted
 * structure and known noise. Imports only config and the JDK.
 */
package org.oncobench.data.synth;
