package io.ringmq.daemon.cli;

import io.ringmq.client.ClientContext;
import io.ringmq.config.RingmqConfig;
import io.ringmq.http.ClientQueueService;
import io.ringmq.http.HttpFaceServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "http", description = "Serve the SQS-like HTTP face at ringmq.http.endpoint: queues, send, receive " +
    "with long polling, delete by receipt handle, visibility, dead letters, as JSON over HTTP (see the README's HTTP " +
    "face). It is a client of the daemon the configuration names (following the primary of ringmq.client.nodes " +
    "when set, else reconnecting to a restarted daemon); Ctrl-C or SIGTERM stops it, and its deliveries not deleted go " +
    "back at once.")
final class HttpCommand implements Callable<Integer>
{
    @Mixin
    ConfigOption configOption;

    @Option(names = "--endpoint", paramLabel = "HOST:PORT",
        description = "Where to listen (ringmq.http.endpoint, default 127.0.0.1:8080; port 0 = any free port).")
    String endpoint;

    public Integer call() throws InterruptedException
    {
        final Map<String, String> overrides = new HashMap<>();
        if (null != endpoint)
        {
            overrides.put("ringmq.http.endpoint", endpoint);
        }
        final RingmqConfig config = configOption.load(overrides);
        final String listen = config.httpEndpoint();
        final int colon = listen.lastIndexOf(':');
        final String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        final int port = Integer.parseInt(listen.substring(colon + 1));

        final CountDownLatch stop = new CountDownLatch(1);
        final StopSignals signals = StopSignals.install(stop);
        final ClientContext ctx = Clients.context(config, "ringmq-http")
            // Following even one node: a daemon that restarts within the reconnect timeout is found again.
            .nodes(config.clientNodes().isEmpty() ? config.aeronDir().toString() : config.clientNodes())
            .reconnectTimeoutNs(config.clientReconnectTimeoutNs())
            .connectionListener(new FollowReport("ringmq http"))
            .errorHandler((ex) -> System.err.println("ringmq http: " + ex.getMessage()));
        try (ClientQueueService service = ClientQueueService.connect(ctx,
                TimeUnit.NANOSECONDS.toMillis(config.httpSendTimeoutNs()));
            HttpFaceServer server = HttpFaceServer.start(service, host, port, (int)config.httpMaxBodyBytes()))
        {
            service.gaveUp().thenRun(stop::countDown);
            System.out.println("ringmq http face listening on http://" + (host.contains(":") ? "[" + host + "]" : host) +
                ":" + server.port() + " (pid " + ProcessHandle.current().pid() + "). Ctrl-C or SIGTERM stops it.");
            System.out.flush();
            stop.await();
            service.close(); // first: its waiting receives are answered while the event loops can still write them
        }
        if (!signals.received()) // the client gave up finding a daemon
        {
            System.err.println("ringmq http: stopped: it lost its daemon");
            return 1;
        }
        System.out.println("ringmq http face stopped");
        return 0;
    }
}
