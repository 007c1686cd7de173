package io.ringmq.daemon.pipeline;

/**
 * Queue settings of this run that the state machine applies from the NodeStarted command on; journaled so a replay
 * applies the values that were live, whatever the configuration says at replay time.
 */
public record QueueDefaults(long visibilityTimeoutMs, int maxAttempts)
{
}
