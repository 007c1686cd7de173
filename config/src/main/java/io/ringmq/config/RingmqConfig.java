package io.ringmq.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The daemon's and client's validated, immutable configuration. Values come from an optional
 * properties file, each overridable by a system property of the same name, and otherwise from
 * the defaults declared in {@link ConfigKeys}. Loading validates everything at once and throws a
 * {@link ConfigException} naming every bad value, so the daemon can refuse to start before it
 * touches any data.
 */
public final class RingmqConfig {

    /** The JVM properties environment-dependent defaults are derived from. */
    private static final List<String> ENVIRONMENT_KEYS =
            List.of(Environment.USER_HOME, Environment.USER_NAME, Environment.TMP_DIR);

    private final Map<String, Setting> settings;
    private final List<QueueRule> queueRules;
    private final Path file;

    RingmqConfig(Map<String, Setting> settings, List<QueueRule> queueRules, Path file) {
        this.settings = Map.copyOf(settings);
        this.queueRules = List.copyOf(queueRules);
        this.file = file;
    }

    /**
     * Per-queue settings from {@code ringmq.queues.<pattern>.<setting>} keys, most specific pattern first (exact
     * names, then longer prefixes, then longer suffixes, then {@code *}); a queue takes each setting from the first
     * rule that matches it and sets it.
     */
    public List<QueueRule> queueRules() {
        return queueRules;
    }

    /**
     * Loads and validates the configuration.
     *
     * @param fileOrNull       properties file (UTF-8); null for none. Given but missing or
     *                         unreadable is an error, not a silent fallback to defaults.
     * @param systemProperties overrides for any key, and the source of user.home, user.name and
     *                         java.io.tmpdir for defaults; {@code ringmq.*} entries that are not
     *                         keys are errors. Copied, so later changes have no effect.
     * @throws ConfigException listing every problem found
     */
    public static RingmqConfig load(Path fileOrNull, Properties systemProperties) {
        Properties snapshot = ConfigLoader.snapshot(Objects.requireNonNull(systemProperties, "systemProperties"));
        return ConfigLoader.load(fileOrNull, snapshot, Environment.of(snapshot));
    }

    /** {@link #load} with this JVM's system properties: what the daemon and CLI call. */
    public static RingmqConfig loadFromSystem(Path fileOrNull) {
        return load(fileOrNull, System.getProperties());
    }

    /**
     * Every key at its default, ignoring any {@code -Dringmq.*} this JVM was started with.
     * user.home, user.name and java.io.tmpdir are taken from this JVM.
     */
    public static RingmqConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * A config with the given entries treated as system properties, with the same validation as
     * {@link #load}; meant for tests. user.home, user.name and java.io.tmpdir come from the map
     * when it has them, else from this JVM. {@code -Dringmq.*} of this JVM are ignored so a
     * test's config does not depend on how the JVM was started.
     *
     * @throws ConfigException listing every problem found
     */
    public static RingmqConfig fromMap(Map<String, String> overrides) {
        Properties properties = new Properties();
        for (String name : ENVIRONMENT_KEYS) {
            String value = System.getProperty(name);
            if (value != null) {
                properties.setProperty(name, value);
            }
        }
        overrides.forEach(properties::setProperty);
        return load(null, properties);
    }

    /** {@code ringmq.data.dir}: where the journal and snapshots live. */
    public Path dataDir() {
        return get(ConfigKeys.DATA_DIR);
    }

    /** {@code ringmq.aeron.dir}: the Aeron media driver directory clients find the daemon through. */
    public Path aeronDir() {
        return get(ConfigKeys.AERON_DIR);
    }

    /** {@code ringmq.aeron.embedded}: true to run the media driver inside the daemon. */
    public boolean aeronEmbedded() {
        return get(ConfigKeys.AERON_EMBEDDED);
    }

    /** {@code ringmq.aeron.ipc.term.length}: term buffer length in bytes, a power of two. */
    public int aeronIpcTermLength() {
        return Math.toIntExact(get(ConfigKeys.AERON_IPC_TERM_LENGTH));
    }

    /** {@code ringmq.aeron.sparse.terms}: whether the embedded driver's term files are sparse. */
    public boolean aeronSparseTerms() {
        return get(ConfigKeys.AERON_SPARSE_TERMS);
    }

    /** {@code ringmq.ingress.channel}: the Aeron channel clients publish commands on. */
    public String ingressChannel() {
        return get(ConfigKeys.INGRESS_CHANNEL);
    }

    /** {@code ringmq.ingress.stream.id}. */
    public int ingressStreamId() {
        return get(ConfigKeys.INGRESS_STREAM_ID);
    }

    /** {@code ringmq.ingress.udp.channel}: the optional UDP ingress; empty when off. */
    public Optional<String> ingressUdpChannel() {
        String channel = get(ConfigKeys.INGRESS_UDP_CHANNEL);
        return channel.isEmpty() ? Optional.empty() : Optional.of(channel);
    }

    /**
     * The channels the daemon takes client commands on, by the key that sets each: {@code ringmq.ingress.channel},
     * then {@code ringmq.ingress.udp.channel} when set. This module checks only how they begin (it does not depend on
     * Aeron); the daemon parses each with Aeron before it touches any data, and names the key of one Aeron refuses.
     */
    public Map<String, String> ingressChannels() {
        Map<String, String> channels = new LinkedHashMap<>();
        channels.put(ConfigKeys.INGRESS_CHANNEL.name(), ingressChannel());
        ingressUdpChannel().ifPresent(channel -> channels.put(ConfigKeys.INGRESS_UDP_CHANNEL.name(), channel));
        return channels;
    }

    /**
     * A key's value that a check outside this module found bad, worded as this module words its own problems:
     * {@code key=value is invalid: must be <allowed> (from file F)}; for a {@link ConfigException}.
     *
     * @throws IllegalArgumentException if {@code key} is not a key
     */
    public String invalidValue(String key, String allowed) {
        Setting setting = settings.get(key);
        if (setting == null) {
            throw new IllegalArgumentException("not a ringmq configuration key: " + key);
        }
        return ConfigLoader.invalid(key, setting.formattedValue(), allowed, setting.source(), file);
    }

    /** {@code ringmq.ring.size}: Disruptor ring size in events, a power of two. */
    public int ringSize() {
        return get(ConfigKeys.RING_SIZE);
    }

    /** {@code ringmq.ring.wait.strategy}. */
    public RingWaitStrategy ringWaitStrategy() {
        return get(ConfigKeys.RING_WAIT_STRATEGY);
    }

    /** {@code ringmq.ring.threads}: which threads run the pipeline of a node without a standby. */
    public RingThreads ringThreads() {
        return get(ConfigKeys.RING_THREADS);
    }

    /** {@code ringmq.timer.slack} in nanoseconds: the daemon's threads' timer slack; 0 leaves it as it is. */
    public long timerSlackNs() {
        return get(ConfigKeys.TIMER_SLACK);
    }

    /** {@code ringmq.idle.strategy}: idle strategy of the daemon's agents. */
    public IdleStrategyType idleStrategy() {
        return get(ConfigKeys.IDLE_STRATEGY);
    }

    /** {@code ringmq.aeron.threading.mode}: how the embedded media driver runs its agents. */
    public AeronThreadingMode aeronThreadingMode() {
        return get(ConfigKeys.AERON_THREADING_MODE);
    }

    /** {@code ringmq.affinity.ring}: the CPUs the ring's threads are pinned to; {@link CpuList#NONE} = not pinned. */
    public CpuList affinityRing() {
        return get(ConfigKeys.AFFINITY_RING);
    }

    /** {@code ringmq.affinity.ingress}: the CPU of the ingress thread when it runs on its own. */
    public CpuList affinityIngress() {
        return get(ConfigKeys.AFFINITY_INGRESS);
    }

    /** {@code ringmq.affinity.driver.conductor}: the CPU of the embedded driver's conductor (or its one) thread. */
    public CpuList affinityDriverConductor() {
        return get(ConfigKeys.AFFINITY_DRIVER_CONDUCTOR);
    }

    /** {@code ringmq.affinity.driver.sender}: the CPU of the embedded driver's sender thread (DEDICATED only). */
    public CpuList affinityDriverSender() {
        return get(ConfigKeys.AFFINITY_DRIVER_SENDER);
    }

    /** {@code ringmq.affinity.driver.receiver}: the CPU of the embedded driver's receiver thread (DEDICATED only). */
    public CpuList affinityDriverReceiver() {
        return get(ConfigKeys.AFFINITY_DRIVER_RECEIVER);
    }

    /** Every pinning key with its CPU list, in declaration order, for the daemon's check of the CPUs it may use. */
    public Map<String, CpuList> affinities() {
        Map<String, CpuList> affinities = new LinkedHashMap<>();
        for (ConfigKey<CpuList> key : List.of(ConfigKeys.AFFINITY_RING, ConfigKeys.AFFINITY_INGRESS,
                ConfigKeys.AFFINITY_DRIVER_CONDUCTOR, ConfigKeys.AFFINITY_DRIVER_SENDER, ConfigKeys.AFFINITY_DRIVER_RECEIVER)) {
            affinities.put(key.name(), get(key));
        }
        return affinities;
    }

    /** {@code ringmq.max.message.bytes}: largest frame accepted, payload plus headers. */
    public int maxMessageBytes() {
        return Math.toIntExact(get(ConfigKeys.MAX_MESSAGE_BYTES));
    }

    /** {@code ringmq.max.header.bytes}: most bytes a message's headers may take. */
    public int maxHeaderBytes() {
        return Math.toIntExact(get(ConfigKeys.MAX_HEADER_BYTES));
    }

    /** {@code ringmq.dedup.window} in nanoseconds: how long a producer's publishes are remembered; 0 = never. */
    public long dedupWindowNs() {
        return get(ConfigKeys.DEDUP_WINDOW);
    }

    /** {@code ringmq.dedup.max.producers}: most producers remembered. */
    public int dedupMaxProducers() {
        return get(ConfigKeys.DEDUP_MAX_PRODUCERS);
    }

    /** {@code ringmq.dedup.id.window} in nanoseconds: how long a message id is remembered; 0 = never. */
    public long dedupIdWindowNs() {
        return get(ConfigKeys.DEDUP_ID_WINDOW);
    }

    /** {@code ringmq.dedup.max.ids}: most message ids remembered. */
    public int dedupMaxIds() {
        return get(ConfigKeys.DEDUP_MAX_IDS);
    }

    /** {@code ringmq.journal.roll.cycle}. */
    public JournalRollCycle journalRollCycle() {
        return get(ConfigKeys.JOURNAL_ROLL_CYCLE);
    }

    /** {@code ringmq.journal.retention}: whether roll-cycle files a snapshot covers are deleted. */
    public boolean journalRetention() {
        return get(ConfigKeys.JOURNAL_RETENTION);
    }

    /** {@code ringmq.journal.fsync}: when the journal forces appended commands to disk. */
    public JournalFsync journalFsync() {
        return get(ConfigKeys.JOURNAL_FSYNC);
    }

    /**
     * {@code ringmq.journal.fsync.interval} in nanoseconds: least time between two syncs; used only when
     * {@link #journalFsync()} is {@link JournalFsync#INTERVAL}.
     */
    public long journalFsyncIntervalNs() {
        return get(ConfigKeys.JOURNAL_FSYNC_INTERVAL);
    }

    /** {@code ringmq.journal.fsync.slow} in nanoseconds: a journal sync at least this long is counted and logged. */
    public long journalFsyncSlowNs() {
        return get(ConfigKeys.JOURNAL_FSYNC_SLOW);
    }

    /** {@code ringmq.journal.prefault}: bytes of the journal file prefaulted ahead of its appender; 0 = off. */
    public long journalPrefaultBytes() {
        return get(ConfigKeys.JOURNAL_PREFAULT);
    }

    /** {@code ringmq.journal.min.free.space}: free bytes the journal's disk must keep for publishes; 0 = no check. */
    public long journalMinFreeSpaceBytes() {
        return get(ConfigKeys.JOURNAL_MIN_FREE_SPACE);
    }

    /** {@code ringmq.client.connect.timeout} in nanoseconds. */
    public long clientConnectTimeoutNs() {
        return get(ConfigKeys.CLIENT_CONNECT_TIMEOUT);
    }

    /** {@code ringmq.client.nodes}: the nodes a client may connect to, as written (the client parses the entries). */
    public String clientNodes() {
        return get(ConfigKeys.CLIENT_NODES).trim();
    }

    /** {@code ringmq.client.reconnect.timeout} in nanoseconds; 0 = a client does not reconnect. */
    public long clientReconnectTimeoutNs() {
        return get(ConfigKeys.CLIENT_RECONNECT_TIMEOUT);
    }

    /** {@code ringmq.egress.back.pressure.timeout} in nanoseconds. */
    public long egressBackPressureTimeoutNs() {
        return get(ConfigKeys.EGRESS_BACK_PRESSURE_TIMEOUT);
    }

    /** {@code ringmq.snapshot.every.commands}: commands between snapshots; 0 = not by count. */
    public long snapshotEveryCommands() {
        return get(ConfigKeys.SNAPSHOT_EVERY_COMMANDS);
    }

    /** {@code ringmq.snapshot.interval}: time between snapshots in nanoseconds; 0 = not by time. */
    public long snapshotIntervalNs() {
        return get(ConfigKeys.SNAPSHOT_INTERVAL);
    }

    /** {@code ringmq.snapshot.keep}: snapshots kept on disk. */
    public int snapshotKeep() {
        return get(ConfigKeys.SNAPSHOT_KEEP);
    }

    /** {@code ringmq.egress.session.buffer}: most response bytes held for one client that is not reading. */
    public int egressSessionBufferBytes() {
        return Math.toIntExact(get(ConfigKeys.EGRESS_SESSION_BUFFER));
    }

    /** {@code ringmq.max.sessions}: most client sessions open at once. */
    public int maxSessions() {
        return get(ConfigKeys.MAX_SESSIONS);
    }

    /** {@code ringmq.max.connects.per.second}: Connects taken per second over all clients; 0 = no limit. */
    public long maxConnectsPerSecond() {
        return get(ConfigKeys.MAX_CONNECTS_PER_SECOND);
    }

    /** {@code ringmq.response.max.term.length}: the largest term-length a response channel may ask for. */
    public int responseMaxTermLength() {
        return Math.toIntExact(get(ConfigKeys.RESPONSE_MAX_TERM_LENGTH));
    }

    /**
     * {@code ringmq.response.allowed.hosts}: hosts a UDP response channel may name besides its sender's address, as
     * written (trimmed, lower case); empty for none.
     */
    public List<String> responseAllowedHosts() {
        String hosts = get(ConfigKeys.RESPONSE_ALLOWED_HOSTS);
        return hosts.isBlank() ? List.of() : Arrays.stream(hosts.split(","))
                .map(host -> host.trim().toLowerCase(Locale.ROOT))
                .toList();
    }

    /** {@code ringmq.max.queues}: most queues, dead-letter queues included. */
    public int maxQueues() {
        return get(ConfigKeys.MAX_QUEUES);
    }

    /** {@code ringmq.max.consumers.per.session}: most consumers one session may attach. */
    public int maxConsumersPerSession() {
        return get(ConfigKeys.MAX_CONSUMERS_PER_SESSION);
    }

    /** {@code ringmq.queue.max.bytes}: default bound on the payload bytes a queue holds; 0 = none. */
    public long queueMaxBytes() {
        return get(ConfigKeys.QUEUE_MAX_BYTES);
    }

    /** {@code ringmq.metrics.prometheus.port}; 0 means no Prometheus endpoint. */
    public int metricsPrometheusPort() {
        return get(ConfigKeys.METRICS_PROMETHEUS_PORT);
    }

    /** {@code ringmq.http.endpoint}: HOST:PORT the HTTP face listens on. */
    public String httpEndpoint() {
        return get(ConfigKeys.HTTP_ENDPOINT);
    }

    /** {@code ringmq.http.max.body}: the largest request body the HTTP face reads, in bytes. */
    public long httpMaxBodyBytes() {
        return get(ConfigKeys.HTTP_MAX_BODY);
    }

    /** {@code ringmq.http.send.timeout} in nanoseconds. */
    public long httpSendTimeoutNs() {
        return get(ConfigKeys.HTTP_SEND_TIMEOUT);
    }

    /** {@code ringmq.metrics.hlog.path}: where stage histograms are logged; empty when they are not. */
    public Optional<Path> metricsHlogPath() {
        final String path = get(ConfigKeys.METRICS_HLOG_PATH);
        return path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path));
    }

    /** {@code ringmq.metrics.hlog.interval} in nanoseconds. */
    public long metricsHlogIntervalNs() {
        return get(ConfigKeys.METRICS_HLOG_INTERVAL);
    }

    /** {@code ringmq.stats.report.interval} in nanoseconds; 0 means no reports. */
    public long statsReportIntervalNs() {
        return get(ConfigKeys.STATS_REPORT_INTERVAL);
    }

    /** Default visibility timeout of deliveries, in nanoseconds. */
    public long queueVisibilityTimeoutNs() {
        return get(ConfigKeys.QUEUE_VISIBILITY_TIMEOUT);
    }

    public int queueMaxAttempts() {
        return get(ConfigKeys.QUEUE_MAX_ATTEMPTS);
    }

    /** {@code ringmq.queue.group.expiry} in nanoseconds; 0 means groups never expire. */
    public long queueGroupExpiryNs() {
        return get(ConfigKeys.QUEUE_GROUP_EXPIRY);
    }

    /** {@code ringmq.queue.expiry} in nanoseconds; 0 means idle queues never expire. */
    public long queueExpiryNs() {
        return get(ConfigKeys.QUEUE_EXPIRY);
    }

    public long tickIntervalNs() {
        return get(ConfigKeys.TICK_INTERVAL);
    }


    /** {@code ringmq.replication.role}; meaningful only while {@link #replicationEnabled()}. */
    public ReplicationRole replicationRole() {
        return get(ConfigKeys.REPLICATION_ROLE);
    }

    /** Whether this node is one of a replicated pair: both replication endpoints are set. */
    public boolean replicationEnabled() {
        return !replicationPrimaryEndpoint().isEmpty() && !replicationStandbyEndpoint().isEmpty();
    }

    /** {@code ringmq.replication.primary.endpoint}: HOST:PORT the primary takes acks on; empty when off. */
    public String replicationPrimaryEndpoint() {
        return get(ConfigKeys.REPLICATION_PRIMARY_ENDPOINT);
    }

    /** {@code ringmq.replication.standby.endpoint}: HOST:PORT the standby takes commands on; empty when off. */
    public String replicationStandbyEndpoint() {
        return get(ConfigKeys.REPLICATION_STANDBY_ENDPOINT);
    }

    /** {@code ringmq.replication.stream.id}. */
    public int replicationStreamId() {
        return get(ConfigKeys.REPLICATION_STREAM_ID);
    }

    /** {@code ringmq.replication.ack}: when the standby acks, so when the primary receipts. */
    public ReplicationAck replicationAck() {
        return get(ConfigKeys.REPLICATION_ACK);
    }

    /** {@code ringmq.replication.ack.timeout} in nanoseconds. */
    public long replicationAckTimeoutNs() {
        return get(ConfigKeys.REPLICATION_ACK_TIMEOUT);
    }

    /** {@code ringmq.replication.standby.lost}: hold receipts for a standby that stopped acking, or go on alone. */
    public ReplicationStandbyLost replicationStandbyLost() {
        return get(ConfigKeys.REPLICATION_STANDBY_LOST);
    }

    /** {@code ringmq.replication.catchup.max.bytes.per.second}: the bound on what catch-up sends. */
    /** {@code ringmq.replication.witness.endpoint}: HOST:PORT of the pair's witness; empty = no automatic failover. */
    public String replicationWitnessEndpoint() {
        return get(ConfigKeys.REPLICATION_WITNESS_ENDPOINT);
    }

    /** Whether a witness is configured: automatic failover on. */
    public boolean witnessEnabled() {
        return !replicationWitnessEndpoint().isEmpty();
    }

    /** {@code ringmq.replication.witness.lease} in nanoseconds. */
    public long replicationWitnessLeaseNs() {
        return get(ConfigKeys.REPLICATION_WITNESS_LEASE);
    }

    /** {@code ringmq.replication.witness.drift} in nanoseconds. */
    public long replicationWitnessDriftNs() {
        return get(ConfigKeys.REPLICATION_WITNESS_DRIFT);
    }

    /** {@code ringmq.replication.witness.snapshot.interval} in nanoseconds. */
    public long replicationWitnessSnapshotIntervalNs() {
        return get(ConfigKeys.REPLICATION_WITNESS_SNAPSHOT_INTERVAL);
    }

    /** {@code ringmq.replication.heartbeat.interval} in nanoseconds. */
    public long replicationHeartbeatIntervalNs() {
        return get(ConfigKeys.REPLICATION_HEARTBEAT_INTERVAL);
    }

    /** {@code ringmq.replication.heartbeat.timeout} in nanoseconds. */
    public long replicationHeartbeatTimeoutNs() {
        return get(ConfigKeys.REPLICATION_HEARTBEAT_TIMEOUT);
    }

    public long replicationCatchUpMaxBytesPerSecond() {
        return get(ConfigKeys.REPLICATION_CATCHUP_MAX_BYTES_PER_SECOND);
    }

    /** {@code ringmq.replication.catchup.mtu}: the largest datagram of a catch-up, bytes. */
    public int replicationCatchUpMtu() {
        return Math.toIntExact(get(ConfigKeys.REPLICATION_CATCHUP_MTU));
    }

    /**
     * Every key with its effective value and where it came from, one per line under a header,
     * for the daemon to log at start.
     */
    public String describe() {
        int width = ConfigKeys.names().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder("ringmq configuration:");
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            Setting setting = settings.get(key.name());
            String value = setting.formattedValue();
            out.append('\n')
                    .append("  ").append(String.format("%-" + width + "s", key.name()))
                    .append(" = ").append(value.isEmpty() ? "(empty)" : value)
                    .append("  [").append(sourceLabel(setting.source())).append(']');
        }
        for (QueueRule rule : queueRules) {
            out.append("\n  queue rule ").append(rule.describe());
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    @SuppressWarnings("unchecked")
    <T> T get(ConfigKey<T> key) {
        return (T) settings.get(key.name()).value();
    }

    SettingSource sourceOf(String name) {
        return settings.get(name).source();
    }

    /** Key name to formatted value, in declaration order; lets tests compare whole configs. */
    Map<String, String> formattedValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            values.put(key.name(), settings.get(key.name()).formattedValue());
        }
        return values;
    }

    private String sourceLabel(SettingSource source) {
        return switch (source) {
            case DEFAULT -> "default";
            case FILE -> "file " + file;
            case SYSTEM_PROPERTY -> "system property";
        };
    }
}
