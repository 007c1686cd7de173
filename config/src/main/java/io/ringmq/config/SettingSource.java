package io.ringmq.config;

/** Where a key's effective value came from; later sources override earlier ones. */
enum SettingSource {
    DEFAULT,
    FILE,
    SYSTEM_PROPERTY
}
