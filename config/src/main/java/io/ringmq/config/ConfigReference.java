package io.ringmq.config;

import java.util.ArrayList;
import java.util.List;

/** Renders the key declarations of {@link ConfigKeys} as documentation, so the README cannot drift from the code. */
public final class ConfigReference {

    private ConfigReference() {
    }

    /**
     * A Markdown table with one row per key: {@code | key | default | allowed | description |},
     * in declaration order, ending with a newline.
     */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder()
                .append("| key | default | allowed | description |\n")
                .append("|---|---|---|---|\n");
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            out.append("| ").append(cell(DefaultValue.code(key.name())))
                    .append(" | ").append(cell(key.defaultValue().markdown()))
                    .append(" | ").append(cell(allowed(key)))
                    .append(" | ").append(cell(key.doc()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String allowed(ConfigKey<?> key) {
        List<String> parts = new ArrayList<>();
        parts.add(key.allowed());
        for (CrossRule rule : ConfigKeys.CROSS_RULES) {
            if (rule.subject() == key) {
                parts.add(rule.allowed());
            }
        }
        return String.join("; ", parts);
    }

    /** A '|' inside a cell would end it early. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
