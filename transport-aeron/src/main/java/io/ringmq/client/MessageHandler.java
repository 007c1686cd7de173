package io.ringmq.client;

/**
 * Receives deliveries for one consumer, on the thread that calls {@link RingmqClient#poll()}. The {@link Delivery}
 * is a flyweight valid only during the call: ack, nack or reject it there, or keep its sequence and attempt and
 * settle later through the {@link QueueConsumer}.
 */
@FunctionalInterface
public interface MessageHandler
{
    void onMessage(Delivery delivery);
}
