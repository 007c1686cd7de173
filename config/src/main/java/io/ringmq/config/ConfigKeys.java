package io.ringmq.config;

import static io.ringmq.config.ByteSize.G;
import static io.ringmq.config.ByteSize.K;
import static io.ringmq.config.ByteSize.M;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place every ringmq configuration key is declared: name, type, default, allowed values
 * and a line of documentation. To add a key, declare a constant here, add it to {@link #ALL},
 * and give {@link RingmqConfig} a getter; loading, validation, {@code describe()} and the README
 * table pick it up from the declaration.
 */
public final class ConfigKeys {

    static final ConfigKey<Path> DATA_DIR = new ConfigKey<>("ringmq.data.dir", ValueTypes.PATH,
            DefaultValue.template("${user.home}/.ringmq/data"), Rule.any(),
            "journal and snapshots live here");

    static final ConfigKey<Path> AERON_DIR = new ConfigKey<>("ringmq.aeron.dir", ValueTypes.PATH,
            DefaultValue.computed(
                    "`/dev/shm/ringmq-${user.name}`, or `${java.io.tmpdir}/ringmq-${user.name}` without /dev/shm",
                    // Aeron's mapped files are fastest on tmpfs; /dev/shm is where Linux has one.
                    env -> env.expand(env.devShmExists() ? "/dev/shm/ringmq-${user.name}" : "${java.io.tmpdir}/ringmq-${user.name}")),
            Rule.any(),
            "Aeron media driver directory; clients find the daemon through it");

    static final ConfigKey<Boolean> AERON_EMBEDDED = new ConfigKey<>("ringmq.aeron.embedded", ValueTypes.BOOLEAN,
            DefaultValue.literal("true"), Rule.any(),
            "run an embedded media driver in the daemon; false = use an external driver at ringmq.aeron.dir");

    static final ConfigKey<Long> AERON_IPC_TERM_LENGTH = new ConfigKey<>("ringmq.aeron.ipc.term.length", ValueTypes.SIZE,
            DefaultValue.literal("8m"), Rule.powerOfTwoBetween(64 * K, G, ByteSize::format),
            "term buffer length of IPC publications");

    static final ConfigKey<Boolean> AERON_SPARSE_TERMS = new ConfigKey<>("ringmq.aeron.sparse.terms",
            ValueTypes.BOOLEAN, DefaultValue.literal("false"), Rule.any(),
            "embedded driver only: true = term files are sparse, memory is committed as each term is first written "
                    + "(less /dev/shm for many idle clients, but the first pass through each term takes page faults on "
                    + "the hot path); false = each publication's terms are allocated in full when it is created");

    /**
     * SHARED by default: on a machine with few cores a driver thread per agent would take cores the ring needs, and
     * IPC data does not pass through the driver. DEDICATED is for the low-latency profile's spare cores.
     */
    static final ConfigKey<AeronThreadingMode> AERON_THREADING_MODE = new ConfigKey<>("ringmq.aeron.threading.mode",
            ValueTypes.enumOf(AeronThreadingMode.class), DefaultValue.literal("SHARED"), Rule.any(),
            "embedded driver only: SHARED = one thread runs the driver's conductor, sender and receiver, idling as "
                    + "ringmq.idle.strategy says for the driver (never spinning); DEDICATED = a thread each, idling by "
                    + "ringmq.idle.strategy itself (BUSY_SPIN: each spins on a core of its own, for the low-latency "
                    + "profile; UDP clients and the pair's links gain most, IPC data does not pass through the driver)");

    static final ConfigKey<String> INGRESS_CHANNEL = new ConfigKey<>("ringmq.ingress.channel", ValueTypes.STRING,
            DefaultValue.literal("aeron:ipc"), Rule.startsWith("a channel", "aeron:"),
            "channel clients publish commands on");

    static final ConfigKey<Integer> INGRESS_STREAM_ID = new ConfigKey<>("ringmq.ingress.stream.id", ValueTypes.INT,
            DefaultValue.literal("1001"), Rule.between(1, Integer.MAX_VALUE, String::valueOf),
            "stream id of the ingress channel");

    static final ConfigKey<String> INGRESS_UDP_CHANNEL = new ConfigKey<>("ringmq.ingress.udp.channel", ValueTypes.STRING,
            DefaultValue.literal(""), Rule.emptyOr(Rule.startsWith("a channel", "aeron:udp")),
            "optional second ingress for remote clients, e.g. aeron:udp?endpoint=0.0.0.0:40456");

    static final ConfigKey<Integer> RING_SIZE = new ConfigKey<>("ringmq.ring.size", ValueTypes.INT,
            DefaultValue.literal("16384"), Rule.powerOfTwoBetween(64, 67_108_864, String::valueOf),
            "Disruptor ring size (events)");

    static final ConfigKey<RingWaitStrategy> RING_WAIT_STRATEGY = new ConfigKey<>("ringmq.ring.wait.strategy",
            ValueTypes.enumOf(RingWaitStrategy.class), DefaultValue.literal("PHASED"), Rule.any(),
            "Disruptor wait strategy of the ring's handler threads when the stages run on threads of their own "
                    + "(ringmq.ring.threads=PER_STAGE, and every node of a pair); PHASED waits as SLEEPING (spin, yield, short "
                    + "parks) while commands come, and after 1 ms with none blocks until the next one wakes it (an "
                    + "idle ring costs no CPU); SLEEPING was the default before (about 14% of a core per ring thread "
                    + "at rest); BUSY_SPIN only on pinned, isolated cores");

    static final ConfigKey<RingThreads> RING_THREADS = new ConfigKey<>("ringmq.ring.threads",
            ValueTypes.enumOf(RingThreads.class), DefaultValue.literal("ONE"), Rule.any(),
            "which threads run the pipeline of a node without a standby: ONE = one thread polls the client ingress, "
                    + "journals and dispatches (a lone command crosses no thread; it idles by ringmq.idle.strategy and "
                    + "ringmq.ring.wait.strategy does not apply); PER_STAGE = the ingress, the journal and the "
                    + "dispatcher each on its own thread, overlapping under load. A node with a standby always runs "
                    + "PER_STAGE (the replicator works beside the journal)");

    /**
     * Linux wakes a parked thread up to its timer slack (50 us by default) late, so every park of a backoff idle
     * strategy costs at least that: measured here, a 1 us park took 72 us, and 15.6 us with a slack of 1 ns. A lone
     * command that comes while the ring thread parks waits out that park. In the deployment shape's open loop (10k
     * msg/s, publish to delivery) 10 us halved the median against the kernel's 50 us and cut the p90 too; 1 ns gave
     * the same median but a worse p90 (more wake-ups competing with the clients on 2 vCPUs).
     */
    static final ConfigKey<Long> TIMER_SLACK = new ConfigKey<>("ringmq.timer.slack", ValueTypes.DURATION,
            DefaultValue.literal("10us"), Rule.zeroOr(Rule.between(1L, millis(10), Durations::format)),
            "Linux timer slack of the daemon's threads: how much later than asked a parked thread may wake (the "
                    + "kernel's default is 50us, which every park of ringmq.idle.strategy's backoff then lasts at "
                    + "least, and a lone command arriving meanwhile waits out); 0 = leave the threads as the process "
                    + "started them; ignored off Linux; see Performance");

    static final ConfigKey<IdleStrategyType> IDLE_STRATEGY = new ConfigKey<>("ringmq.idle.strategy",
            ValueTypes.enumOf(IdleStrategyType.class), DefaultValue.literal("GROWING_BACKOFF"), Rule.any(),
            "idle strategy of the daemon's ingress agent (with ringmq.ring.threads=ONE, of the one thread that "
                    + "polls it, journals and dispatches); BACKOFF parks up to 100 us; GROWING_BACKOFF does the "
                    + "same, then after about a second with no work parks twice as long each time up to 10 ms, and the "
                    + "embedded media driver idles the same way while no client is connected: the first frame (and a "
                    + "timer due) after a long quiet waits up to 10 ms more; any other value leaves a SHARED driver on "
                    + "BACKOFF (a DEDICATED one idles by it, see ringmq.aeron.threading.mode)");

    /*
     * Thread-to-core pinning (issue 19's low-latency profile): off by default. Each key lists the CPUs of one role; the
     * i-th thread of the role takes the i-th CPU, round the list again past its end. Checked at start against the CPUs
     * this process may run on.
     */
    static final ConfigKey<CpuList> AFFINITY_RING = new ConfigKey<>("ringmq.affinity.ring", ValueTypes.CPU_LIST,
            DefaultValue.literal(""), Rule.any(),
            "CPUs the ring's threads are pinned to: with ringmq.ring.threads=ONE the one thread (ingress, journal, "
                    + "dispatch); per stage each thread takes the next CPU listed in the order the ring starts them "
                    + "(journal, replicator on a primary of a pair, sync with a syncing fsync, dispatch), round the "
                    + "list again past its end; empty = not pinned (the OS places them)");

    static final ConfigKey<CpuList> AFFINITY_INGRESS = new ConfigKey<>("ringmq.affinity.ingress", ValueTypes.CPU_LIST,
            DefaultValue.literal(""), Rule.any(),
            "CPU the ingress thread is pinned to when it runs on its own (ringmq.ring.threads=PER_STAGE, a node of a "
                    + "pair, a standby's follower); empty = not pinned");

    static final ConfigKey<CpuList> AFFINITY_DRIVER_CONDUCTOR = new ConfigKey<>("ringmq.affinity.driver.conductor",
            ValueTypes.CPU_LIST, DefaultValue.literal(""), Rule.any(),
            "CPU the embedded media driver's conductor thread is pinned to (with ringmq.aeron.threading.mode=SHARED, "
                    + "its one thread); empty = not pinned");

    static final ConfigKey<CpuList> AFFINITY_DRIVER_SENDER = new ConfigKey<>("ringmq.affinity.driver.sender",
            ValueTypes.CPU_LIST, DefaultValue.literal(""), Rule.any(),
            "CPU the embedded media driver's sender thread is pinned to; empty = not pinned");

    static final ConfigKey<CpuList> AFFINITY_DRIVER_RECEIVER = new ConfigKey<>("ringmq.affinity.driver.receiver",
            ValueTypes.CPU_LIST, DefaultValue.literal(""), Rule.any(),
            "CPU the embedded media driver's receiver thread is pinned to; empty = not pinned");

    static final ConfigKey<Long> MAX_MESSAGE_BYTES = new ConfigKey<>("ringmq.max.message.bytes", ValueTypes.SIZE,
            DefaultValue.literal("1m"), Rule.between(1L, 4 * M, ByteSize::format),
            "largest frame (payload plus headers) accepted or sent; 4m at most so every command fits one journal "
                    + "record; a payload must leave room for the largest frame its message travels in (see Limits "
                    + "and failure behaviour)");

    static final ConfigKey<Long> MAX_HEADER_BYTES = new ConfigKey<>("ringmq.max.header.bytes", ValueTypes.SIZE,
            DefaultValue.literal("4k"), Rule.between(0L, 256 * K, ByteSize::format),
            "most bytes a message's headers may take (keys, values and 7 bytes per header); more is refused with "
                    + "HEADERS_TOO_LARGE; the payload limit keeps this much room in every frame (see Limits and "
                    + "failure behaviour)");

    /*
     * Idempotent publish (issue 12): what the state machine remembers to recognise a retried publish. Journaled in
     * each run's NodeStarted, so a replay recognises exactly what the live run did.
     */
    static final ConfigKey<Long> DEDUP_WINDOW = new ConfigKey<>("ringmq.dedup.window", ValueTypes.DURATION,
            DefaultValue.literal("2m"), Rule.zeroOr(Rule.between(millis(1), TimeUnit.DAYS.toNanos(7), Durations::format)),
            "how long a producer's latest 256 publishes (by producer id and sequence) are remembered after its last "
                    + "publish: a retry within it gets the original receipt and is not enqueued again; 0 = never");

    static final ConfigKey<Integer> DEDUP_MAX_PRODUCERS = new ConfigKey<>("ringmq.dedup.max.producers",
            ValueTypes.INT, DefaultValue.literal("10000"), Rule.between(0, 1_000_000, String::valueOf),
            "most producers remembered for idempotent publish; past it the least recently used is forgotten "
                    + "(counted); 0 = none");

    static final ConfigKey<Long> DEDUP_ID_WINDOW = new ConfigKey<>("ringmq.dedup.id.window", ValueTypes.DURATION,
            DefaultValue.literal("2m"), Rule.zeroOr(Rule.between(millis(1), TimeUnit.DAYS.toNanos(7), Durations::format)),
            "how long a message id is remembered per queue after its publish: a publish of the same id to the same "
                    + "queue within it gets the first one's receipt and is not enqueued again; 0 = never");

    static final ConfigKey<Integer> DEDUP_MAX_IDS = new ConfigKey<>("ringmq.dedup.max.ids", ValueTypes.INT,
            DefaultValue.literal("100000"), Rule.between(0, 10_000_000, String::valueOf),
            "most message ids remembered over all queues; past it the oldest is forgotten (counted); 0 = none");

    static final ConfigKey<JournalRollCycle> JOURNAL_ROLL_CYCLE = new ConfigKey<>("ringmq.journal.roll.cycle",
            ValueTypes.enumOf(JournalRollCycle.class), DefaultValue.literal("FAST_DAILY"), Rule.any(),
            "Chronicle Queue roll cycle of the journal (TEST_SECONDLY, a file a second, is for tests of retention only)");

    /**
     * BATCH by default: a receipt tells the producer its message is durable, and with group commit one sync covers a
     * whole ring batch, so the cost per message falls as load rises.
     */
    static final ConfigKey<JournalFsync> JOURNAL_FSYNC = new ConfigKey<>("ringmq.journal.fsync",
            ValueTypes.enumOf(JournalFsync.class), DefaultValue.literal("BATCH"), Rule.any(),
            "when the journal is forced to disk: BATCH = once per ring batch, before its receipts (survives power loss); "
                    + "INTERVAL = at most every ringmq.journal.fsync.interval; NONE = never, the OS writes back "
                    + "(survives a process crash only); see Durability");

    static final ConfigKey<Long> JOURNAL_FSYNC_INTERVAL = new ConfigKey<>("ringmq.journal.fsync.interval",
            ValueTypes.DURATION, DefaultValue.literal("10ms"), Rule.between(millis(1), seconds(10), Durations::format),
            "least time between two journal syncs with ringmq.journal.fsync=INTERVAL; ignored by NONE and BATCH");

    /**
     * A sync of seconds is the disk's write-back congestion (measured here: one msync as long as a visibility
     * timeout), and every receipt behind it waits as long: an operator should hear of it without reading histograms.
     */
    static final ConfigKey<Long> JOURNAL_FSYNC_SLOW = new ConfigKey<>("ringmq.journal.fsync.slow",
            ValueTypes.DURATION, DefaultValue.literal("1s"), Rule.between(millis(1), minutes(10), Durations::format),
            "a journal sync that takes longer is counted (journal_syncs_slow) and logged, at most one warning every "
                    + "10 s with how many and the slowest: the receipts behind it waited as long; see Durability");

    /**
     * A full disk must be seen before it breaks the journal (Chronicle fails an append it has no room for, and the
     * daemon then stops): below this much free space publishes are refused, while acks and everything else, which
     * free space rather than take it, go on.
     */
    static final ConfigKey<Long> JOURNAL_MIN_FREE_SPACE = new ConfigKey<>("ringmq.journal.min.free.space",
            ValueTypes.SIZE, DefaultValue.literal("256m"), Rule.zeroOr(Rule.between(M, 1024 * G, ByteSize::format)),
            "free space the journal's disk must keep: below it publishes are refused with STORAGE_FULL (nothing "
                    + "stored) until space is freed, checked every 100 ms; 0 = no check");

    static final ConfigKey<Long> JOURNAL_PREFAULT = new ConfigKey<>("ringmq.journal.prefault",
            ValueTypes.SIZE, DefaultValue.literal("4m"), Rule.zeroOr(Rule.between(64 * K, G, ByteSize::format)),
            "how far ahead of the journal's appender a thread of its own prefaults the journal file's pages "
                    + "(madvise MADV_POPULATE_WRITE, Linux 5.14+: no byte written), so the ring thread does not take "
                    + "the page faults of a fresh file; 0 = off; see Performance");

    static final ConfigKey<Long> CLIENT_CONNECT_TIMEOUT = new ConfigKey<>("ringmq.client.connect.timeout", ValueTypes.DURATION,
            DefaultValue.literal("5s"), Rule.between(millis(100), minutes(10), Durations::format),
            "how long the CLI/client waits for the daemon before saying none is running");

    /** Clients that follow the primary of a pair (issue 14): a stable contract, spelled as the issue gives it. */
    static final ConfigKey<String> CLIENT_NODES = new ConfigKey<>("ringmq.client.nodes", ValueTypes.STRING,
            DefaultValue.literal(""),
            new Rule<>("empty, or entries separated by commas, each an Aeron directory or HOST:PORT",
                    value -> value.isBlank() || java.util.Arrays.stream(value.split(",", -1)).noneMatch(String::isBlank)),
            "the nodes the CLI/client may connect to, comma-separated: each the Aeron directory of a daemon on this "
                    + "host or HOST:PORT of a remote daemon's UDP ingress; the client connects to the primary (a "
                    + "standby redirects it) and follows it after a failover; empty = the one daemon at "
                    + "ringmq.aeron.dir, not followed");

    static final ConfigKey<Long> CLIENT_RECONNECT_TIMEOUT = new ConfigKey<>("ringmq.client.reconnect.timeout",
            ValueTypes.DURATION, DefaultValue.literal("10s"),
            Rule.zeroOr(Rule.between(millis(100), minutes(10), Durations::format)),
            "with ringmq.client.nodes: how long a client that lost its node looks for the primary (a promoted "
                    + "standby, the daemon restarted) before it gives up; 0 = it does not reconnect");

    static final ConfigKey<Long> EGRESS_BACK_PRESSURE_TIMEOUT = new ConfigKey<>("ringmq.egress.back.pressure.timeout",
            ValueTypes.DURATION, DefaultValue.literal("10s"), Rule.between(millis(1), minutes(10), Durations::format),
            "how long a client may leave its responses unread (frames waiting in its egress buffer, none taken) "
                    + "before the daemon closes its session and gives its deliveries to others");

    static final ConfigKey<Long> EGRESS_SESSION_BUFFER = new ConfigKey<>("ringmq.egress.session.buffer", ValueTypes.SIZE,
            DefaultValue.literal("16m"), Rule.powerOfTwoBetween(64 * K, G, ByteSize::format),
            "most response bytes the daemon holds for one client that is not reading; more closes its session "
                    + "(the dispatcher never waits for a client)");

    /*
     * Bounds on what clients make the daemon hold (issue 18, item 3). Each session costs an egress publication of three
     * terms in the Aeron directory (24 MiB with the default 8m IPC term, 48 MiB at the 16m cap), so the sessions and
     * the term cap together bound what the clients can take of it: 256 x 48 MiB = 12 GiB at most with the defaults.
     */
    static final ConfigKey<Integer> MAX_SESSIONS = new ConfigKey<>("ringmq.max.sessions", ValueTypes.INT,
            DefaultValue.literal("256"), Rule.between(1, 65_536, String::valueOf),
            "most client sessions open at once; a Connect past it is refused with TOO_MANY_SESSIONS (each session "
                    + "holds an egress publication of 3 terms in the Aeron directory)");

    static final ConfigKey<Long> MAX_CONNECTS_PER_SECOND = new ConfigKey<>("ringmq.max.connects.per.second",
            ValueTypes.LONG, DefaultValue.literal("100"), Rule.zeroOr(Rule.between(1L, 1_000_000L, String::valueOf)),
            "Connects the daemon takes per second, over all clients (a burst of as many at once); more are refused "
                    + "with TOO_MANY_CONNECTS, and refusals past the same rate are only counted; 0 = no limit");

    static final ConfigKey<Long> RESPONSE_MAX_TERM_LENGTH = new ConfigKey<>("ringmq.response.max.term.length",
            ValueTypes.SIZE, DefaultValue.literal("16m"), Rule.powerOfTwoBetween(64 * K, G, ByteSize::format),
            "largest term-length a client's response channel may ask for (the daemon's egress publication to it "
                    + "holds 3 terms); a larger one is refused with RESPONSE_TERM_TOO_LARGE");

    static final ConfigKey<String> RESPONSE_ALLOWED_HOSTS = new ConfigKey<>("ringmq.response.allowed.hosts",
            ValueTypes.STRING, DefaultValue.literal(""),
            new Rule<>("empty or host names and IP addresses separated by commas",
                    value -> value.isBlank() || value.matches("\\s*[A-Za-z0-9.:_\\-\\[\\]]+\\s*(,\\s*[A-Za-z0-9.:_\\-\\[\\]]+\\s*)*")),
            "hosts a UDP response channel may name besides the address its Connect came from (IPC is always "
                    + "allowed); the daemon answers nothing to a Connect naming any other (see Limits and failure "
                    + "behaviour)");

    static final ConfigKey<Integer> MAX_QUEUES = new ConfigKey<>("ringmq.max.queues", ValueTypes.INT,
            DefaultValue.literal("10000"), Rule.between(1, 10_000_000, String::valueOf),
            "most queues, dead-letter queues included; naming a new queue past it is refused with TOO_MANY_QUEUES "
                    + "(a dead-letter queue is still made when a letter needs it)");

    static final ConfigKey<Integer> MAX_CONSUMERS_PER_SESSION = new ConfigKey<>("ringmq.max.consumers.per.session",
            ValueTypes.INT, DefaultValue.literal("1024"), Rule.between(1, 1_000_000, String::valueOf),
            "most consumers one client session may attach; a subscribe past it is refused with TOO_MANY_CONSUMERS");

    static final ConfigKey<Long> STATS_REPORT_INTERVAL = new ConfigKey<>("ringmq.stats.report.interval", ValueTypes.DURATION,
            DefaultValue.literal("0"), Rule.zeroOr(Rule.between(seconds(1), minutes(60), Durations::format)),
            "how often the daemon logs stage latency histograms; 0 = off");

    static final ConfigKey<Integer> METRICS_PROMETHEUS_PORT = new ConfigKey<>("ringmq.metrics.prometheus.port",
            ValueTypes.INT, DefaultValue.literal("0"), Rule.between(0, 65535, String::valueOf),
            "TCP port of the Prometheus endpoint (http://<host>:<port>/metrics, every interface): the daemon's "
                    + "counters with Prometheus names, read at each scrape; 0 = off");

    static final ConfigKey<String> METRICS_HLOG_PATH = new ConfigKey<>("ringmq.metrics.hlog.path",
            ValueTypes.STRING, DefaultValue.literal(""), Rule.any(),
            "file the daemon writes its stage latency histograms to, one interval of each stage (tagged with its "
                    + "name) per ringmq.metrics.hlog.interval, in HdrHistogram's interval log format (.hlog); "
                    + "empty = off");

    static final ConfigKey<Long> METRICS_HLOG_INTERVAL = new ConfigKey<>("ringmq.metrics.hlog.interval",
            ValueTypes.DURATION, DefaultValue.literal("1s"), Rule.between(millis(100), minutes(60), Durations::format),
            "how much time each interval of ringmq.metrics.hlog.path covers");

    static final ConfigKey<String> HTTP_ENDPOINT = new ConfigKey<>("ringmq.http.endpoint",
            ValueTypes.STRING, DefaultValue.literal("127.0.0.1:8080"), Rule.hostPort(),
            "where bin/ringmq http serves the SQS-like HTTP face (HOST:PORT; port 0 = any free port, printed at start; "
                    + "the face has no authentication, so the default takes only local connections)");

    static final ConfigKey<Long> HTTP_MAX_BODY = new ConfigKey<>("ringmq.http.max.body", ValueTypes.SIZE,
            DefaultValue.literal("16m"), Rule.between(64 * K, G, ByteSize::format),
            "largest HTTP request body the HTTP face reads (a JSON message, base64 text or a batch of ten); a larger "
                    + "one is answered 413");

    static final ConfigKey<Long> HTTP_SEND_TIMEOUT = new ConfigKey<>("ringmq.http.send.timeout", ValueTypes.DURATION,
            DefaultValue.literal("30s"), Rule.between(seconds(1), minutes(10), Durations::format),
            "how long the HTTP face waits for a send's receipt before it answers 504 (the message may or may not be "
                    + "stored: send it again with the same id)");

    static final ConfigKey<Long> QUEUE_VISIBILITY_TIMEOUT = new ConfigKey<>("ringmq.queue.visibility.timeout",
            ValueTypes.DURATION, DefaultValue.literal("30s"), Rule.between(millis(1), minutes(12 * 60), Durations::format),
            "default time a delivery may stay unacked before it is delivered again (a consumer may ask for its own)");

    /** Issue 17: a one-off consume --group x otherwise pins every later message of its queue for ever. */
    static final ConfigKey<Long> QUEUE_GROUP_EXPIRY = new ConfigKey<>("ringmq.queue.group.expiry",
            ValueTypes.DURATION, DefaultValue.literal("0"),
            Rule.zeroOr(Rule.between(millis(100), TimeUnit.DAYS.toNanos(30), Durations::format)),
            "a group with no consumer attached for this long (since its last consumer left, or since it was made if "
                    + "none ever attached) is deleted as `delete group` deletes it; 0 = never. Journaled with each "
                    + "run: a replay and the standby follow the value of the run they replay");

    /** Issue 17: a mistyped queue name (publish ordres ...) otherwise lives for ever. */
    static final ConfigKey<Long> QUEUE_EXPIRY = new ConfigKey<>("ringmq.queue.expiry",
            ValueTypes.DURATION, DefaultValue.literal("0"),
            Rule.zeroOr(Rule.between(millis(100), TimeUnit.DAYS.toNanos(30), Durations::format)),
            "a queue idle this long (no consumer attached, no message held for a group it has, no dead letter, no "
                    + "declared retention; since the last change to its messages, groups or consumers) is deleted as "
                    + "`delete queue` deletes it; 0 = never. Journaled with each run, like the group expiry");

    static final ConfigKey<Integer> QUEUE_MAX_ATTEMPTS = new ConfigKey<>("ringmq.queue.max.attempts", ValueTypes.INT,
            DefaultValue.literal("5"), Rule.between(1, 1000, String::valueOf),
            "deliveries of one message to one group before it moves to <queue>.dlq");

    /** A safety net for the heap (the daemon's is 2g by bin/ringmq): payload bytes, as max.bytes counts them. */
    static final ConfigKey<Long> QUEUE_MAX_BYTES = new ConfigKey<>("ringmq.queue.max.bytes", ValueTypes.SIZE,
            DefaultValue.literal("256m"), Rule.zeroOr(Rule.between(K, 1024 * G, ByteSize::format)),
            "default max.bytes of every queue (payload bytes held, in flight included) that no rule or declaration "
                    + "bounds otherwise; past it the queue's overflow action applies (dead-letter by default, see "
                    + "Queue limits); 0 = no bound");

    static final ConfigKey<Long> SNAPSHOT_EVERY_COMMANDS = new ConfigKey<>("ringmq.snapshot.every.commands",
            ValueTypes.LONG, DefaultValue.literal("1000000"), Rule.zeroOr(Rule.between(1_000L, 1_000_000_000L, String::valueOf)),
            "take a snapshot after this many journaled commands (and at least as many as the messages the last snapshot held); 0 = not by count (both this and ringmq.snapshot.interval 0: no snapshots)");

    static final ConfigKey<Long> SNAPSHOT_INTERVAL = new ConfigKey<>("ringmq.snapshot.interval", ValueTypes.DURATION,
            DefaultValue.literal("5m"), Rule.zeroOr(Rule.between(seconds(1), minutes(24 * 60), Durations::format)),
            "take a snapshot at least this often while commands arrive; 0 = not by time");

    static final ConfigKey<Integer> SNAPSHOT_KEEP = new ConfigKey<>("ringmq.snapshot.keep", ValueTypes.INT,
            DefaultValue.literal("2"), Rule.between(1, 100, String::valueOf),
            "snapshots kept on disk (the newest); recovery falls back to an older one if the newest is damaged");

    static final ConfigKey<Boolean> JOURNAL_RETENTION = new ConfigKey<>("ringmq.journal.retention", ValueTypes.BOOLEAN,
            DefaultValue.literal("true"), Rule.any(),
            "delete journal roll-cycle files once the oldest kept snapshot covers every record in them (never the "
                    + "current cycle); false = the journal keeps every record; see Durability");

    static final ConfigKey<Long> TICK_INTERVAL = new ConfigKey<>("ringmq.tick.interval", ValueTypes.DURATION,
            DefaultValue.literal("10ms"), Rule.between(millis(1), seconds(1), Durations::format),
            "while no command comes, the ingress journals a tick once a timer is due (a visibility deadline, a "
                    + "backoff's end, a message's maximum age, a delayed message's deliver-at, a message's time to live; one due "
                    + "later costs nothing until then) or while "
                    + "responses wait for room in a client's egress buffer, at least this long after the last "
                    + "command: a timer fires at most this late");

    /*
     * Replication to a hot standby (issue 13, first step). Both nodes of a pair get the same two endpoints; the role
     * tells each which one is its own. With neither endpoint set, replication is off.
     */
    static final ConfigKey<ReplicationRole> REPLICATION_ROLE = new ConfigKey<>("ringmq.replication.role",
            ValueTypes.enumOf(ReplicationRole.class), DefaultValue.literal("PRIMARY"), Rule.any(),
            "what this node of a pair does (bin/ringmq daemon --role overrides it): PRIMARY takes clients and ships "
                    + "every command to the standby; STANDBY takes no clients, journals and applies the primary's "
                    + "commands and acks them; ignored while no replication endpoint is set");

    static final ConfigKey<String> REPLICATION_PRIMARY_ENDPOINT = new ConfigKey<>("ringmq.replication.primary.endpoint",
            ValueTypes.STRING, DefaultValue.literal(""), Rule.emptyOr(Rule.hostPort()),
            "UDP endpoint the primary receives the standby's acks on; empty with the standby's = replication off");

    static final ConfigKey<String> REPLICATION_STANDBY_ENDPOINT = new ConfigKey<>("ringmq.replication.standby.endpoint",
            ValueTypes.STRING, DefaultValue.literal(""), Rule.emptyOr(Rule.hostPort()),
            "UDP endpoint the standby receives the replicated commands on; empty with the primary's = replication off");

    static final ConfigKey<Integer> REPLICATION_STREAM_ID = new ConfigKey<>("ringmq.replication.stream.id",
            ValueTypes.INT, DefaultValue.literal("2001"), Rule.between(1, Integer.MAX_VALUE - 2, String::valueOf),
            "Aeron stream id of the replicated commands and of the acks (each on its own endpoint); catch-up uses "
                    + "the next one on both endpoints, heartbeats the one after that");

    static final ConfigKey<ReplicationAck> REPLICATION_ACK = new ConfigKey<>("ringmq.replication.ack",
            ValueTypes.enumOf(ReplicationAck.class), DefaultValue.literal("JOURNALED"), Rule.any(),
            "when the standby acks a command, and so when the primary applies it and sends its receipt: NONE = no "
                    + "wait (the standby may lag); RECEIVED = in the standby's memory; JOURNALED = in the standby's "
                    + "journal; SYNCED = forced to the standby's disk; see Replication");

    static final ConfigKey<Long> REPLICATION_ACK_TIMEOUT = new ConfigKey<>("ringmq.replication.ack.timeout",
            ValueTypes.DURATION, DefaultValue.literal("5s"), Rule.between(millis(1), minutes(10), Durations::format),
            "how long the primary waits for the standby's ack before it takes the standby as lost (what it does "
                    + "then is ringmq.replication.standby.lost)");

    static final ConfigKey<Long> REPLICATION_HEARTBEAT_INTERVAL = new ConfigKey<>(
            "ringmq.replication.heartbeat.interval", ValueTypes.DURATION, DefaultValue.literal("50ms"),
            Rule.between(millis(1), seconds(10), Durations::format),
            "how often each node of a pair sends the other a heartbeat (its epoch and last log sequence), on a "
                    + "thread of its own whether commands flow or not; see Replication");

    static final ConfigKey<Long> REPLICATION_HEARTBEAT_TIMEOUT = new ConfigKey<>(
            "ringmq.replication.heartbeat.timeout", ValueTypes.DURATION, DefaultValue.literal("500ms"),
            Rule.between(millis(2), minutes(10), Durations::format),
            "how long a node of a pair hears no heartbeat before it takes the other as lost (logged once, "
                    + "peerAlive=false in status); see Replication");

    static final ConfigKey<ReplicationStandbyLost> REPLICATION_STANDBY_LOST = new ConfigKey<>(
            "ringmq.replication.standby.lost", ValueTypes.enumOf(ReplicationStandbyLost.class),
            DefaultValue.literal("HOLD"), Rule.any(),
            "what the primary does once the standby has not acked for ringmq.replication.ack.timeout: HOLD = keep "
                    + "receipts until it acks (a receipt means on both nodes); CONTINUE = drop it from in sync "
                    + "(counted, logged) and receipt alone until its ack catches up; see Replication");

    static final ConfigKey<Long> REPLICATION_CATCHUP_MAX_BYTES_PER_SECOND = new ConfigKey<>(
            "ringmq.replication.catchup.max.bytes.per.second", ValueTypes.SIZE, DefaultValue.literal("128m"),
            Rule.between(M, 64 * G, ByteSize::format),
            "most bytes per second the primary sends a standby that catches up (journal records, or its newest "
                    + "snapshot when the journal no longer holds them), on its own thread: bounds what a catch-up "
                    + "takes from the primary; see Replication");

    /**
     * Catch-up moves a journal one way in bulk, and per datagram both media drivers pay a system call and a wake-up:
     * Aeron's largest MTU halved its CPU per command. Between hosts with a 1,500-byte network MTU each such datagram
     * travels as IP fragments, and a lost fragment resends the whole datagram: a lossy link may want it smaller.
     */
    static final ConfigKey<Long> REPLICATION_CATCHUP_MTU = new ConfigKey<>("ringmq.replication.catchup.mtu",
            ValueTypes.SIZE, DefaultValue.literal("65504"), Rule.multipleBetween(32, 1024, 65_504, String::valueOf),
            "largest UDP datagram of a catch-up (Aeron's MTU of the catch-up publication; at most an eighth of its "
                    + "term): 65504, Aeron's largest, costs the least CPU; the network's MTU (e.g. 1408) avoids IP "
                    + "fragments on a lossy link; see Replication");

    /*
     * Automatic failover (issue 14): a witness holds the pair's registry (epoch, primary, in-sync standby, primary
     * lease) on a one-member Aeron Cluster. All three processes get the same endpoint; empty = no witness, manual
     * promotion only.
     */
    static final ConfigKey<String> REPLICATION_WITNESS_ENDPOINT = new ConfigKey<>("ringmq.replication.witness.endpoint",
            ValueTypes.STRING, DefaultValue.literal(""), Rule.emptyOr(Rule.hostPort()),
            "UDP endpoint of the pair's witness (bin/ringmq witness): its cluster ingress; the witness also takes "
                    + "the next four ports (consensus, log, catch-up, archive). Empty = no witness: no automatic "
                    + "failover, promote by hand; see Automatic failover");

    static final ConfigKey<Long> REPLICATION_WITNESS_LEASE = new ConfigKey<>("ringmq.replication.witness.lease",
            ValueTypes.DURATION, DefaultValue.literal("300ms"), Rule.between(millis(20), minutes(1), Durations::format),
            "how long a lease the witness grants the primary (renewed every quarter of it); a primary whose lease "
                    + "ran out receipts only while its receipts wait for the in-sync standby's ack; see Automatic "
                    + "failover");

    static final ConfigKey<Long> REPLICATION_WITNESS_DRIFT = new ConfigKey<>("ringmq.replication.witness.drift",
            ValueTypes.DURATION, DefaultValue.literal("50ms"), Rule.between(millis(0), minutes(1), Durations::format),
            "margin past the primary's lease expiry (on the witness's clock) before the witness lets the standby "
                    + "take epoch + 1: covers the clocks of the primary and the witness running at different rates");

    static final ConfigKey<Long> REPLICATION_WITNESS_SNAPSHOT_INTERVAL = new ConfigKey<>(
            "ringmq.replication.witness.snapshot.interval", ValueTypes.DURATION, DefaultValue.literal("1h"),
            Rule.between(millis(100), minutes(7 * 24 * 60), Durations::format),
            "how often the witness snapshots its registry; after each snapshot it deletes the snapshots older than "
                    + "the two newest and its log before the older of those two, which bounds its data directory "
                    + "(each lease renewal is a log entry); see Automatic failover");

    /** Every key, in the order describe() and the reference table list them. */
    static final List<ConfigKey<?>> ALL = List.of(
            DATA_DIR,
            AERON_DIR,
            AERON_EMBEDDED,
            AERON_IPC_TERM_LENGTH,
            AERON_SPARSE_TERMS,
            AERON_THREADING_MODE,
            INGRESS_CHANNEL,
            INGRESS_STREAM_ID,
            INGRESS_UDP_CHANNEL,
            RING_SIZE,
            RING_WAIT_STRATEGY,
            RING_THREADS,
            IDLE_STRATEGY,
            TIMER_SLACK,
            AFFINITY_RING,
            AFFINITY_INGRESS,
            AFFINITY_DRIVER_CONDUCTOR,
            AFFINITY_DRIVER_SENDER,
            AFFINITY_DRIVER_RECEIVER,
            MAX_MESSAGE_BYTES,
            MAX_HEADER_BYTES,
            DEDUP_WINDOW,
            DEDUP_MAX_PRODUCERS,
            DEDUP_ID_WINDOW,
            DEDUP_MAX_IDS,
            JOURNAL_ROLL_CYCLE,
            JOURNAL_FSYNC,
            JOURNAL_FSYNC_INTERVAL,
            JOURNAL_FSYNC_SLOW,
            JOURNAL_MIN_FREE_SPACE,
            JOURNAL_PREFAULT,
            CLIENT_CONNECT_TIMEOUT,
            CLIENT_NODES,
            CLIENT_RECONNECT_TIMEOUT,
            EGRESS_BACK_PRESSURE_TIMEOUT,
            EGRESS_SESSION_BUFFER,
            MAX_SESSIONS,
            MAX_CONNECTS_PER_SECOND,
            RESPONSE_MAX_TERM_LENGTH,
            RESPONSE_ALLOWED_HOSTS,
            MAX_QUEUES,
            MAX_CONSUMERS_PER_SESSION,
            STATS_REPORT_INTERVAL,
            METRICS_PROMETHEUS_PORT,
            METRICS_HLOG_PATH,
            METRICS_HLOG_INTERVAL,
            HTTP_ENDPOINT,
            HTTP_MAX_BODY,
            HTTP_SEND_TIMEOUT,
            QUEUE_VISIBILITY_TIMEOUT,
            QUEUE_MAX_ATTEMPTS,
            QUEUE_MAX_BYTES,
            QUEUE_GROUP_EXPIRY,
            QUEUE_EXPIRY,
            TICK_INTERVAL,
            SNAPSHOT_EVERY_COMMANDS,
            SNAPSHOT_INTERVAL,
            SNAPSHOT_KEEP,
            JOURNAL_RETENTION,
            REPLICATION_ROLE,
            REPLICATION_PRIMARY_ENDPOINT,
            REPLICATION_STANDBY_ENDPOINT,
            REPLICATION_STREAM_ID,
            REPLICATION_ACK,
            REPLICATION_ACK_TIMEOUT,
            REPLICATION_HEARTBEAT_INTERVAL,
            REPLICATION_HEARTBEAT_TIMEOUT,
            REPLICATION_STANDBY_LOST,
            REPLICATION_CATCHUP_MAX_BYTES_PER_SECOND,
            REPLICATION_CATCHUP_MTU,
            REPLICATION_WITNESS_ENDPOINT,
            REPLICATION_WITNESS_LEASE,
            REPLICATION_WITNESS_DRIFT,
            REPLICATION_WITNESS_SNAPSHOT_INTERVAL);

    /** Aeron rejects messages longer than a term / 8, so a larger limit would fail at the first big frame. */
    static final CrossRule MESSAGE_FITS_TERM = new CrossRule(MAX_MESSAGE_BYTES, List.of(AERON_IPC_TERM_LENGTH),
            "at most " + AERON_IPC_TERM_LENGTH.name() + " / 8",
            values -> {
                long term = values.get(AERON_IPC_TERM_LENGTH);
                long limit = term / 8;
                return values.get(MAX_MESSAGE_BYTES) <= limit
                        ? Optional.empty()
                        : Optional.of("at most " + AERON_IPC_TERM_LENGTH.name() + " / 8, which is " + ByteSize.format(limit)
                                + " for " + AERON_IPC_TERM_LENGTH.name() + "=" + ByteSize.format(term));
            });

    /** A client's egress buffer must hold at least a few of the largest frames, or one big delivery closes it. */
    static final CrossRule MESSAGE_FITS_EGRESS_BUFFER = new CrossRule(EGRESS_SESSION_BUFFER, List.of(MAX_MESSAGE_BYTES),
            "at least 4 x " + MAX_MESSAGE_BYTES.name(),
            values -> values.get(EGRESS_SESSION_BUFFER) >= 4 * values.get(MAX_MESSAGE_BYTES)
                    ? Optional.empty()
                    : Optional.of("at least 4 x " + MAX_MESSAGE_BYTES.name() + ", which is "
                            + ByteSize.format(4 * values.get(MAX_MESSAGE_BYTES))));

    /**
     * A response channel must carry the largest frame, which needs a term of 8 times it: a cap below that would refuse
     * every response channel that names its term-length.
     */
    static final CrossRule RESPONSE_TERM_FITS_MESSAGE = new CrossRule(RESPONSE_MAX_TERM_LENGTH,
            List.of(MAX_MESSAGE_BYTES), "at least 8 x " + MAX_MESSAGE_BYTES.name(),
            values -> values.get(RESPONSE_MAX_TERM_LENGTH) >= 8 * values.get(MAX_MESSAGE_BYTES)
                    ? Optional.empty()
                    : Optional.of("at least 8 x " + MAX_MESSAGE_BYTES.name() + ", which is "
                            + ByteSize.format(8 * values.get(MAX_MESSAGE_BYTES))));

    /** A pair needs both ends: one endpoint alone names a peer that cannot answer. */
    static final CrossRule REPLICATION_ENDPOINTS_TOGETHER = new CrossRule(REPLICATION_STANDBY_ENDPOINT,
            List.of(REPLICATION_PRIMARY_ENDPOINT), "set together with " + REPLICATION_PRIMARY_ENDPOINT.name(),
            values -> values.get(REPLICATION_STANDBY_ENDPOINT).isEmpty() == values.get(REPLICATION_PRIMARY_ENDPOINT).isEmpty()
                    ? Optional.empty()
                    : Optional.of("set together with " + REPLICATION_PRIMARY_ENDPOINT.name() + " (both empty = "
                            + "replication off)"));

    /**
     * Each node of a pair takes its own endpoint: with one endpoint for both, a node hears its own heartbeat, takes
     * itself for its peer (alive, in sync) and holds every command for an ack that never comes. IP literals and
     * localhost are compared as addresses, other names as written ({@link Endpoints}).
     */
    static final CrossRule REPLICATION_ENDPOINTS_DIFFER = new CrossRule(REPLICATION_STANDBY_ENDPOINT,
            List.of(REPLICATION_PRIMARY_ENDPOINT), "another endpoint than " + REPLICATION_PRIMARY_ENDPOINT.name()
                    + " (localhost and IP addresses compared as addresses)",
            values -> {
                String standby = values.get(REPLICATION_STANDBY_ENDPOINT);
                String primary = values.get(REPLICATION_PRIMARY_ENDPOINT);
                return standby.isEmpty() || primary.isEmpty() || !Endpoints.same(standby, primary)
                        ? Optional.empty()
                        : Optional.of("another endpoint than " + REPLICATION_PRIMARY_ENDPOINT.name() + "=" + primary
                                + " (each node of a pair takes its own: with the same one a node would take itself "
                                + "for its peer)");
            });

    /** The witness binds its endpoint's port and the next four on its host: a node's endpoint among them collides. */
    static final CrossRule WITNESS_CLEAR_OF_NODES = new CrossRule(REPLICATION_WITNESS_ENDPOINT,
            List.of(REPLICATION_PRIMARY_ENDPOINT, REPLICATION_STANDBY_ENDPOINT),
            "clear of " + REPLICATION_PRIMARY_ENDPOINT.name() + " and " + REPLICATION_STANDBY_ENDPOINT.name()
                    + " (neither on its host at its port or the next four)",
            values -> {
                String witness = values.get(REPLICATION_WITNESS_ENDPOINT);
                if (witness.isEmpty()) {
                    return Optional.empty();
                }
                for (ConfigKey<String> node : List.of(REPLICATION_PRIMARY_ENDPOINT, REPLICATION_STANDBY_ENDPOINT)) {
                    String endpoint = values.get(node);
                    if (!endpoint.isEmpty() && Endpoints.within(endpoint, witness, 5)) {
                        int port = Endpoints.port(witness);
                        return Optional.of("clear of " + node.name() + "=" + endpoint + " (the witness takes ports "
                                + port + " to " + (port + 4) + " on its host)");
                    }
                }
                return Optional.empty();
            });

    /** A standby with no endpoints would follow nobody. */
    static final CrossRule STANDBY_NEEDS_ENDPOINTS = new CrossRule(REPLICATION_ROLE,
            List.of(REPLICATION_PRIMARY_ENDPOINT, REPLICATION_STANDBY_ENDPOINT),
            "STANDBY only with " + REPLICATION_PRIMARY_ENDPOINT.name() + " and " + REPLICATION_STANDBY_ENDPOINT.name(),
            values -> values.get(REPLICATION_ROLE) != ReplicationRole.STANDBY
                    || (!values.get(REPLICATION_PRIMARY_ENDPOINT).isEmpty() && !values.get(REPLICATION_STANDBY_ENDPOINT).isEmpty())
                    ? Optional.empty()
                    : Optional.of("PRIMARY while " + REPLICATION_PRIMARY_ENDPOINT.name() + " and "
                            + REPLICATION_STANDBY_ENDPOINT.name() + " are not both set (a standby follows the primary "
                            + "at those endpoints)"));

    /**
     * The standby's journal stage passes a batch only after its end-of-batch sync when (and only when) it syncs every
     * batch: that is what its SYNCED ack waits for (a JOURNALED ack covers what is appended, before the sync). Both
     * nodes get the same replication keys, so both are held to it.
     */
    static final CrossRule SYNCED_NEEDS_BATCH_FSYNC = new CrossRule(REPLICATION_ACK, List.of(JOURNAL_FSYNC),
            "SYNCED only with " + JOURNAL_FSYNC.name() + "=BATCH",
            values -> values.get(REPLICATION_ACK) != ReplicationAck.SYNCED || values.get(JOURNAL_FSYNC) == JournalFsync.BATCH
                    ? Optional.empty()
                    : Optional.of("NONE, RECEIVED or JOURNALED while " + JOURNAL_FSYNC.name() + "="
                            + values.get(JOURNAL_FSYNC) + " (SYNCED acks after the standby's per-batch sync, which "
                            + "only BATCH makes)"));

    /** One late heartbeat (a GC pause, a busy core) must not make a peer lost: the timeout covers two or more. */
    static final CrossRule HEARTBEAT_TIMEOUT_COVERS_INTERVALS = new CrossRule(REPLICATION_HEARTBEAT_TIMEOUT,
            List.of(REPLICATION_HEARTBEAT_INTERVAL), "at least 2 x " + REPLICATION_HEARTBEAT_INTERVAL.name(),
            values -> values.get(REPLICATION_HEARTBEAT_TIMEOUT) >= 2 * values.get(REPLICATION_HEARTBEAT_INTERVAL)
                    ? Optional.empty()
                    : Optional.of("at least 2 x " + REPLICATION_HEARTBEAT_INTERVAL.name() + ", which is "
                            + Durations.format(2 * values.get(REPLICATION_HEARTBEAT_INTERVAL))));

    /** A SHARED driver has no sender or receiver thread of its own: a CPU for one would silently pin nothing. */
    static final CrossRule SENDER_PINNED_ONLY_DEDICATED = driverThreadPinnedOnlyDedicated(AFFINITY_DRIVER_SENDER);

    static final CrossRule RECEIVER_PINNED_ONLY_DEDICATED = driverThreadPinnedOnlyDedicated(AFFINITY_DRIVER_RECEIVER);

    private static CrossRule driverThreadPinnedOnlyDedicated(ConfigKey<CpuList> key) {
        return new CrossRule(key, List.of(AERON_THREADING_MODE), "empty unless " + AERON_THREADING_MODE.name() + "=DEDICATED",
                values -> values.get(key).isEmpty() || values.get(AERON_THREADING_MODE) == AeronThreadingMode.DEDICATED
                        ? Optional.empty()
                        : Optional.of("empty while " + AERON_THREADING_MODE.name() + "=" + values.get(AERON_THREADING_MODE)
                                + " (the driver has no thread of that name; pin its one thread with "
                                + AFFINITY_DRIVER_CONDUCTOR.name() + ")"));
    }

    static final List<CrossRule> CROSS_RULES =
            List.of(MESSAGE_FITS_TERM, MESSAGE_FITS_EGRESS_BUFFER, RESPONSE_TERM_FITS_MESSAGE,
                    REPLICATION_ENDPOINTS_TOGETHER, REPLICATION_ENDPOINTS_DIFFER, WITNESS_CLEAR_OF_NODES,
                    STANDBY_NEEDS_ENDPOINTS, SYNCED_NEEDS_BATCH_FSYNC,
                    HEARTBEAT_TIMEOUT_COVERS_INTERVALS, SENDER_PINNED_ONLY_DEDICATED, RECEIVER_PINNED_ONLY_DEDICATED);

    private static final Map<String, ConfigKey<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(ConfigKey::name, Function.identity()));

    private static final List<String> NAMES = ALL.stream().map(ConfigKey::name).toList();

    private ConfigKeys() {
    }

    /** The name of every key, in declaration order. */
    public static List<String> names() {
        return NAMES;
    }

    static Optional<ConfigKey<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static long millis(long n) {
        return TimeUnit.MILLISECONDS.toNanos(n);
    }

    private static long seconds(long n) {
        return TimeUnit.SECONDS.toNanos(n);
    }

    private static long minutes(long n) {
        return TimeUnit.MINUTES.toNanos(n);
    }
}
