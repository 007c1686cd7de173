package io.ringmq.daemon.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/ringmq daemon --role} sets ringmq.replication.role and goes through the same validation as the key.
 * Only refusals are run here: they stop before any data or Aeron directory is touched.
 */
class DaemonRoleOptionTest
{
    @Test
    void aStandbyWithoutEndpointsIsRefusedNamingTheKey()
    {
        final String err = runDaemon("--role", "standby");
        assertTrue(err.contains("ringmq.replication.role=STANDBY is invalid: must be PRIMARY while " +
            "ringmq.replication.primary.endpoint and ringmq.replication.standby.endpoint are not both set"), err);
    }

    @Test
    void anUnknownRoleIsRefusedNamingTheKey()
    {
        final String err = runDaemon("--role", "leader");
        assertTrue(err.contains("ringmq.replication.role=leader is invalid"), err);
        assertTrue(err.contains("PRIMARY, STANDBY"), err);
    }

    private static String runDaemon(final String... options)
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = RingmqCli.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        final String[] args = new String[options.length + 1];
        args[0] = "daemon";
        System.arraycopy(options, 0, args, 1, options.length);
        assertEquals(RingmqCli.EXIT_USAGE, commandLine.execute(args), err::toString);
        return err.toString();
    }
}
