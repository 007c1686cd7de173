/**
 * Typed ringmq configuration: an optional properties file plus {@code -Dkey=value} overrides,
 * validated as a whole before the daemon touches any data.
 *
 * <p>Start at {@link io.ringmq.config.RingmqConfig}; every key is declared once in
 * {@link io.ringmq.config.ConfigKeys}, and {@link io.ringmq.config.ConfigReference} renders the
 * declarations for the README.
 */
package io.ringmq.config;
