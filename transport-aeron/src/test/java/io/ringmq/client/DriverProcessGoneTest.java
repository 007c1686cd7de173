package io.ringmq.client;

import io.aeron.CncFileDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A CnC file names its driver's process: one that has exited (a kill -9) is known gone without waiting. */
class DriverProcessGoneTest
{
    @TempDir
    Path aeronDir;

    @Test
    void aCncOfAnExitedProcessIsGoneOneOfALiveProcessIsNot() throws Exception
    {
        final Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        writeCnc(exited.pid());
        assertTrue(NodeLink.driverProcessGone(aeronDir.toFile()));

        writeCnc(ProcessHandle.current().pid());
        assertFalse(NodeLink.driverProcessGone(aeronDir.toFile()));
    }

    @Test
    void noCncOrNoPidSaysNothing() throws IOException
    {
        assertFalse(NodeLink.driverProcessGone(aeronDir.toFile()), "no file: left to the heartbeat check");
        writeCnc(0);
        assertFalse(NodeLink.driverProcessGone(aeronDir.toFile()), "no pid recorded");
    }

    private void writeCnc(final long pid) throws IOException
    {
        final byte[] bytes = new byte[CncFileDescriptor.META_DATA_LENGTH];
        new UnsafeBuffer(bytes).putLong(CncFileDescriptor.PID_FIELD_OFFSET, pid);
        Files.write(new File(aeronDir.toFile(), CncFileDescriptor.CNC_FILE).toPath(), bytes);
    }
}
