package io.ringmq.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The face's own Prometheus metrics, served at {@code GET /metrics} in the text format: requests by route and status,
 * and what it holds (receives, deliveries and sends waiting, its consumers, whether it has a daemon). The daemon's
 * metrics are the daemon's ({@code ringmq.metrics.prometheus.port}); these say what the HTTP side does.
 */
final class FaceMetrics
{
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    static final String NO_ROUTE = "none";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder()
        .name("ringmq_http_requests_total")
        .help("HTTP requests answered, by route (none: no route took it, 404 or 405) and status")
        .labelNames("route", "status")
        .register(registry);
    private final Gauge receivesWaiting = gauge("ringmq_http_receives_waiting", "HTTP receives waiting for messages");
    private final Gauge deliveriesInFlight = gauge("ringmq_http_deliveries_in_flight",
        "messages handed out by a receive and not yet deleted, given back or past their visibility timeout");
    private final Gauge deliveriesHeld = gauge("ringmq_http_deliveries_held",
        "messages that arrived after their receive had answered, held for the next receive");
    private final Gauge sendsWaiting = gauge("ringmq_http_sends_waiting", "sends waiting for their receipt");
    private final Gauge consumers = gauge("ringmq_http_consumers",
        "the face's consumers of the daemon: one per queue and group receiving through it");
    private final Gauge connected = gauge("ringmq_http_connected", "1 while the face has a daemon, else 0");
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    void answered(final Route route, final HttpResponseStatus status)
    {
        requests.labelValues(null == route ? NO_ROUTE : route.name().toLowerCase(Locale.ROOT),
            Integer.toString(status.code())).inc();
    }

    /** The text format, with the gauges set to {@code load} first. */
    byte[] scrape(final FaceLoad load, final boolean hasDaemon)
    {
        receivesWaiting.set(load.receivesWaiting());
        deliveriesInFlight.set(load.deliveriesInFlight());
        deliveriesHeld.set(load.deliveriesHeld());
        sendsWaiting.set(load.sendsWaiting());
        consumers.set(load.consumers());
        connected.set(hasDaemon ? 1 : 0);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try
        {
            writer.write(out, registry.scrape());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex); // a byte array stream does not fail
        }
        return out.toByteArray();
    }

    private Gauge gauge(final String name, final String help)
    {
        return Gauge.builder().name(name).help(help).register(registry);
    }
}
