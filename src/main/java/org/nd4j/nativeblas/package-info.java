/**
 * Not oncobench's package: holds only {@link org.nd4j.nativeblas.Nd4jCpu}, a shim for a class name DL4J 1.0.0-M2.1
 * still looks up (see there). ND4J's own classes of this package come from nd4j-native-api.
 */
package org.nd4j.nativeblas;
