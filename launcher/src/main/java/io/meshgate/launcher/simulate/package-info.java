/**
 * Traffic simulation: orders placed, shipped, cancelled and paid through the gateway, so the demo
 * mesh moves.
 */
@NullMarked
package io.meshgate.launcher.simulate;

import org.jspecify.annotations.NullMarked;
