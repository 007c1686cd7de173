package io.ringmq.daemon.cli;

import io.ringmq.client.QueueOptions;
import io.ringmq.codecs.LimitAction;
import io.ringmq.config.QueueSettings;
import io.ringmq.http.QueueOptionsFromRule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code declare queue} reads its options with the config file's spellings and ranges, and refuses in the CLI. */
class DeclareOptionsTest
{
    @Test
    void unitsNoneAndTheOldMillisecondFormsMeanWhatTheConfigFileMeans()
    {
        final QueueOptions fromCli = QueueOptionsFromRule.options(new QueueSettings()
            .set("visibility.timeout", "--visibility-timeout", "10s")
            .set("max.attempts", "--max-attempts", "7")
            .set("backoff", "--backoff", "exponential:100ms:30s")
            .set("strategy", "--strategy", "least-outstanding")
            .set("max.age", "--max-age", "none")
            .set("max.messages", "--max-messages", "1000")
            .set("max.bytes", "--max-bytes", "1m")
            .set("expired", "--expired", "drop")
            .set("overflow", "--overflow", "reject-publish")
            .parse());
        final QueueOptions byHand = QueueOptions.unset()
            .visibilityTimeout(Duration.ofSeconds(10))
            .maxAttempts(7)
            .exponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(30))
            .leastOutstanding()
            .noMaxAge()
            .maxMessages(1000)
            .maxBytes(1024 * 1024)
            .onExpiry(LimitAction.DROP)
            .onOverflow(LimitAction.REJECT_PUBLISH);
        assertEquals(byHand.toString(), fromCli.toString());

        final QueueOptions oldForms = QueueOptionsFromRule.options(new QueueSettings()
            .set("visibility.timeout", "--visibility-timeout", "2500")
            .set("max.age", "--max-age", "60000")
            .set("max.bytes", "--max-bytes", "4096")
            .set("backoff", "--backoff", "fixed:250")
            .parse());
        assertEquals(QueueOptions.unset().visibilityTimeout(Duration.ofMillis(2500)).maxAge(Duration.ofMinutes(1))
            .maxBytes(4096).fixedBackoff(Duration.ofMillis(250)).toString(), oldForms.toString());
        assertEquals(QueueOptions.unset().toString(), QueueOptionsFromRule.options(new QueueSettings().parse())
            .toString(), "nothing given, nothing set");
    }

    @Test
    void everyBadValueIsReportedAtOnceWithExitTwoBeforeAnyDaemonIsAsked()
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = RingmqCli.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));

        final int exitCode = commandLine.execute("declare", "queue", "q", "--visibility-timeout", "0",
            "--max-attempts", "1001", "--max-bytes", "lots", "--backoff", "fixed:PT1S", "--overflow", "DROP_OLDEST");

        assertEquals(RingmqCli.EXIT_USAGE, exitCode, err::toString);
        final List<String> lines = err.toString().lines().toList();
        assertEquals(List.of(
            "ringmq: --visibility-timeout=0 is invalid: must be a duration from 1ms to 12h, e.g. 30s in whole " +
                "milliseconds",
            "--max-attempts=1001 is invalid: must be an integer from 1 to 1000",
            "--backoff=fixed:PT1S is invalid: must be none, fixed:<delay> or exponential:<initial>:<max> (delays " +
                "1ms to 12h, e.g. exponential:100ms:30s) in whole milliseconds",
            "--max-bytes=lots is invalid: must be none or a size of at least 1 byte, e.g. 512m",
            "--overflow=DROP_OLDEST is invalid: must be dead-letter, drop or reject-publish",
            "see `ringmq declare queue --help`"), lines);
    }

    @Test
    void retentionTakesTheSpellingsOfTheOtherDeclareOptionsAndBareNumbersStillWork()
    {
        final DeclareCommand.DeclareQueue spelled = parsed("--retain-ms", "10m", "--retain-bytes", "1m",
            "--delay-ms", "365d");
        assertEquals(600_000L, spelled.retainMs);
        assertEquals(1024L * 1024, spelled.retainBytes);
        assertEquals(365L * 86_400_000, spelled.delayMs, "365 days, the top of --delay-ms, in days");

        final DeclareCommand.DeclareQueue bare = parsed("--retain-ms", "600000", "--retain-bytes", "1048576");
        assertEquals(600_000L, bare.retainMs);
        assertEquals(1024L * 1024, bare.retainBytes);

        final StringWriter err = new StringWriter();
        final CommandLine commandLine = RingmqCli.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(RingmqCli.EXIT_USAGE, commandLine.execute("declare", "queue", "q", "--retain-bytes", "lots"));
        assertEquals("ringmq: Invalid value for option '--retain-bytes': 'lots' is not a size (e.g. 512k, 64m, 1g; " +
            "a bare number is bytes)", err.toString().lines().findFirst().orElseThrow());
    }

    private static DeclareCommand.DeclareQueue parsed(final String... options)
    {
        final String[] args = new String[options.length + 3];
        args[0] = "declare";
        args[1] = "queue";
        args[2] = "q";
        System.arraycopy(options, 0, args, 3, options.length);
        return (DeclareCommand.DeclareQueue)RingmqCli.commandLine().parseArgs(args).subcommand().subcommand()
            .commandSpec().userObject();
    }
}
