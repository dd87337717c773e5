/**
 * The Jupyter kernel: JShell cells evaluated in this JVM (same classpath and ND4J natives as the CLI), on the Jupyter
 * wire protocol of jupyter-jvm-basekernel, with rich display of images, XChart charts and oncobench's tables. Sits on
 * top: imports api and the services below; nothing imports it.
 */
package org.oncobench.notebook;
