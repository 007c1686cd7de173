package io.ringmq.journal;

import java.nio.file.Path;

/**
 * The journal holds a damaged record with readable records after it: start-up stops here rather than skip it (a
 * replay that skipped a command would build a different state from the one clients were told about).
 * {@code bin/ringmq daemon --repair} keeps the records before it and moves the damaged journal aside
 * ({@link JournalRepair}).
 */
public final class JournalCorruptedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final transient JournalDamage damage;

    JournalCorruptedException(final JournalDamage damage)
    {
        super(damage.describe() + ". Start-up stopped so that no command is skipped silently; 'bin/ringmq daemon " +
            "--repair' keeps the " + damage.recordsBefore() + " records before it and moves the damaged journal " +
            "aside (nothing is deleted)");
        this.damage = damage;
    }

    /** Damage that {@code --repair} cannot mend by itself; the message says what to do. */
    JournalCorruptedException(final JournalDamage damage, final String message)
    {
        super(message);
        this.damage = damage;
    }

    public JournalDamage damage()
    {
        return damage;
    }

    /** The queue file holding the damaged record, if known. */
    public Path file()
    {
        return damage.file();
    }
}
