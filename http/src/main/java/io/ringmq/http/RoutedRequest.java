package io.ringmq.http;

/**
 * A request the router matched: its route and the names its path carries.
 *
 * @param queue  the queue named by the path (checked), or null where the route names none.
 * @param group  the group named by the path (checked), or null where the route names none.
 * @param handle the receipt handle named by the path (not empty), or null where the route names none.
 */
record RoutedRequest(Route route, String queue, String group, String handle)
{
}
