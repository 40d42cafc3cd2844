#pragma once

#include <QString>

#include <chrono>

namespace tai::fleet {

// How a KV bucket is made on first use. The TTL is the bucket's: every key expires that long after
// its last write (libnats wants nanoseconds; FleetConnection converts).
struct KvBucketSpec {
    QString name;
    std::chrono::milliseconds ttl{0};  // 0: keep forever
    int maxValueBytes = 64 * 1024;
    int history = 1;

    bool operator==(const KvBucketSpec&) const = default;
};

// The audit copy stream (FLEET.md §14.2).
struct StreamSpec {
    QString name;
    QString subjects;                                    // e.g. tai.<fleet>.audit.>
    std::chrono::milliseconds maxAge{0};                 // 0: keep forever
    std::chrono::milliseconds duplicateWindow{120'000};  // Nats-Msg-Id de-duplication

    bool operator==(const StreamSpec&) const = default;
};

}  // namespace tai::fleet
