package io.ringmq.config;

import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.Collectors;

/**
 * The CPUs a role's threads are pinned to, written as Linux writes them ({@code taskset -c}, {@code Cpus_allowed_list}):
 * numbers and ranges separated by commas, {@code 2}, {@code 2,4-5}. Empty means not pinned. The i-th thread of a role
 * takes the i-th CPU listed, round the list again past its end, so a list of one CPU puts every thread of the role on
 * it. Immutable.
 */
public final class CpuList {

    /** Linux's default CPU_SETSIZE: the highest CPU number a mask holds is one less. */
    static final int MAX_CPU = 1023;

    /** Not pinned. */
    public static final CpuList NONE = new CpuList(new int[0]);

    private final int[] cpus;

    private CpuList(int[] cpus) {
        this.cpus = cpus;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong: an empty entry, a number that is not one, a CPU over
     *                                  {@value #MAX_CPU}, a range that runs backwards, or a CPU listed twice.
     */
    public static CpuList parse(String text) {
        if (text.isBlank()) {
            return NONE;
        }
        BitSet seen = new BitSet();
        int[] cpus = new int[0];
        for (String entry : text.split(",", -1)) {
            String trimmed = entry.strip();
            int dash = trimmed.indexOf('-');
            int from = cpu(dash < 0 ? trimmed : trimmed.substring(0, dash), text);
            int to = dash < 0 ? from : cpu(trimmed.substring(dash + 1), text);
            if (to < from) {
                throw new IllegalArgumentException("the range " + trimmed + " runs backwards in " + text);
            }
            for (int cpu = from; cpu <= to; cpu++) {
                if (seen.get(cpu)) {
                    throw new IllegalArgumentException("CPU " + cpu + " is listed twice in " + text);
                }
                seen.set(cpu);
                cpus = Arrays.copyOf(cpus, cpus.length + 1);
                cpus[cpus.length - 1] = cpu;
            }
        }
        return new CpuList(cpus);
    }

    private static int cpu(String number, String text) {
        if (!number.matches("[0-9]{1,4}")) {
            throw new IllegalArgumentException("'" + number + "' is not a CPU number in " + text);
        }
        int cpu = Integer.parseInt(number);
        if (cpu > MAX_CPU) {
            throw new IllegalArgumentException("CPU " + cpu + " is over " + MAX_CPU + " in " + text);
        }
        return cpu;
    }

    public boolean isEmpty() {
        return 0 == cpus.length;
    }

    /** How many CPUs are listed. */
    public int size() {
        return cpus.length;
    }

    /** The CPU the {@code index}-th thread of the role takes (from 0): the list read round and round. */
    public int cpuFor(int index) {
        if (isEmpty()) {
            throw new IllegalStateException("no CPU listed");
        }
        return cpus[Math.floorMod(index, cpus.length)];
    }

    /** Every CPU listed, as a mask. */
    public BitSet mask() {
        BitSet mask = new BitSet();
        for (int cpu : cpus) {
            mask.set(cpu);
        }
        return mask;
    }

    /** Comma-separated CPU numbers, each once, in the order listed; empty when not pinned. */
    @Override
    public String toString() {
        return Arrays.stream(cpus).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CpuList list && Arrays.equals(cpus, list.cpus);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cpus);
    }
}
