package io.ringmq.config;

/**
 * A key's validated value and where it came from.
 *
 * @param value an instance of the key's type, held untyped so one map can hold every key
 */
record Setting(ConfigKey<?> key, Object value, SettingSource source) {

    String formattedValue() {
        return key.type().formatUnchecked(value);
    }
}
