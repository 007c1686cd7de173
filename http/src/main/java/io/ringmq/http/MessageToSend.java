package io.ringmq.http;

import io.ringmq.client.OutgoingMessage;

/** One message of a send request, read and checked: its body and what goes with it, ready for the service. */
record MessageToSend(byte[] body, OutgoingMessage message)
{
}
