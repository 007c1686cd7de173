package io.ringmq.perf;

/**
 * How the perf tools' mains end: status 0 when the run worked, 2 with just the message for bad input (an
 * {@link IllegalArgumentException}, which names the option), 1 with the stack trace for a run that failed. Always
 * through {@link System#exit}: Chronicle's and Artemis' library threads may outlive a run, and nothing should wait
 * for them.
 */
public final class PerfMain
{
    /** A main's work. */
    @FunctionalInterface
    public interface Body
    {
        void run() throws Exception;
    }

    private PerfMain()
    {
    }

    public static void runAndExit(final Body body)
    {
        int status = 0;
        try
        {
            body.run();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            status = 2;
        }
        catch (final Exception | Error ex)
        {
            System.err.println("FAILED: " + ex.getMessage());
            ex.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }
}
