package io.ringmq.daemon;

import io.aeron.CncFileDescriptor;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The media driver an Aeron directory's CnC file names, as Aeron recorded it: the process that ran it, when the
 * driver started, and its last heartbeat. {@link #judge} says whether that driver is still alive, so a daemon can
 * take over the directory of a dead one (a driver killed with {@code kill -9} leaves its directory behind) and refuse
 * only a live one (starting over it would delete the directory under it).
 * <p>
 * The process decides first. Gone means dead, whatever the heartbeat says: a supervisor that restarts at once (as
 * systemd's default 100 ms does) comes back while a killed driver's last heartbeat is still fresh. Still running, and
 * started before the driver did, means alive, whatever the heartbeat says: a stopped or busy daemon is not to be
 * robbed. Where the process cannot tell (a driver earlier in this JVM, a pid the OS has given to a process that
 * started since, an OS that does not say when a process started), Aeron's own test decides: the heartbeat against the
 * driver timeout.
 *
 * @param pid              the process that started the driver.
 * @param driverStartMs    when the driver started (epoch ms).
 * @param lastHeartbeatMs  the driver's last heartbeat (epoch ms); not positive once the driver was closed.
 */
record AeronDirectoryOwner(long pid, long driverStartMs, long lastHeartbeatMs)
{
    /**
     * How much later than the driver a process may seem to have started and still be the one that ran it: the OS
     * gives a start time derived from the boot time in whole seconds, which may differ by a second between reads.
     */
    static final long START_SLACK_MS = 2_000;

    /** What the machine's process table says about a pid. */
    interface ProcessTable
    {
        /** {@link #startMs} of a pid no running process has. */
        long GONE = -1;
        /** {@link #startMs} of a running process whose start time the OS does not give. */
        long START_UNKNOWN = -2;

        /** @return when the running process with this pid started (epoch ms), {@link #GONE} or {@link #START_UNKNOWN}. */
        long startMs(long pid);

        long currentPid();
    }

    /** This machine's processes, through {@link ProcessHandle}. */
    static final ProcessTable SYSTEM_PROCESSES = new ProcessTable()
    {
        public long startMs(final long pid)
        {
            return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map((process) -> process.info().startInstant().map(Instant::toEpochMilli)
                    .orElse(START_UNKNOWN))
                .orElse(GONE);
        }

        public long currentPid()
        {
            return ProcessHandle.current().pid();
        }
    };

    /** Whether the owner is alive, and why, in words for a log line or an error. */
    record Verdict(boolean alive, String reason)
    {
    }

    /**
     * @return the driver the directory's CnC file names, or null when there is none: no CnC file, or one whose driver
     *         never finished starting (Aeron marks a CnC file ready last, after the owner fields).
     */
    static AeronDirectoryOwner read(final Path aeronDir)
    {
        final File cncFile = aeronDir.resolve(CncFileDescriptor.CNC_FILE).toFile();
        if (!cncFile.isFile() || cncFile.length() <= CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            return null;
        }
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile, CncFileDescriptor.CNC_FILE);
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final int version = metaData.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            if (0 == version)
            {
                return null;
            }
            CncFileDescriptor.checkVersion(version);
            final ManyToOneRingBuffer toDriver =
                new ManyToOneRingBuffer(CncFileDescriptor.createToDriverBuffer(cnc, metaData));
            return new AeronDirectoryOwner(
                CncFileDescriptor.pid(metaData),
                CncFileDescriptor.startTimestampMs(metaData),
                toDriver.consumerHeartbeatTime());
        }
        finally
        {
            BufferUtil.free(cnc);
        }
    }

    Verdict judge(final ProcessTable processes, final long nowMs, final long driverTimeoutMs)
    {
        final long processStartMs = processes.startMs(pid);
        if (ProcessTable.GONE == processStartMs)
        {
            return new Verdict(false, "its process (pid " + pid + ") is gone");
        }
        final boolean self = processes.currentPid() == pid;
        final boolean startKnown = ProcessTable.START_UNKNOWN != processStartMs;
        final boolean laterProcess = startKnown && processStartMs > driverStartMs + START_SLACK_MS;
        if (laterProcess && self)
        {
            // A container restarted in the same pid namespace hands its new first process the old pid.
            return new Verdict(false, "its pid " + pid + " is now this process, which started after that driver");
        }
        if (startKnown && !laterProcess && !self)
        {
            return new Verdict(true, "its process (pid " + pid + ") is running");
        }

        final String which = self ? "an earlier driver of this process" :
            laterProcess ? "pid " + pid + " is now a process that started after the driver" :
            "the start time of pid " + pid + " is unknown";
        if (lastHeartbeatMs <= 0)
        {
            return new Verdict(false, which + ", and the driver was closed");
        }
        final long heartbeatAgeMs = nowMs - lastHeartbeatMs;
        return new Verdict(heartbeatAgeMs <= driverTimeoutMs, which + ", and the driver's last heartbeat is " +
            heartbeatAgeMs + " ms old (driver timeout " + driverTimeoutMs + " ms)");
    }
}
