#pragma once

#include "fleet/fleet_error.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tai::fleet {

class FleetConnection;

// One audit row as the instance's SQLite trail numbers it.
struct AuditRow {
    std::uint64_t sequence = 0;
    QByteArray bytes;
};

// Copies the audit trail to stream TAI_<fleet>_AUDIT (subject tai.<fleet>.audit.<instance>), each
// row with Nats-Msg-Id <instance>:<seq> so a resend is stored once. The instance's SQLite stays the
// source of truth: whatever the copy misses (a full queue, an outage, a server that lost its store)
// is read again from `source` after the last acknowledged sequence. append() never blocks.
class AuditForwarder {
public:
    // Rows after `afterSequence`, oldest first, at most `limit`. Called on the forwarder's thread.
    using Source = std::function<std::vector<AuditRow>(std::uint64_t afterSequence, int limit)>;

    struct Options {
        std::size_t capacity = 10'000;  // rows waiting; beyond that they are dropped, then repaired
        int repairBatch = 500;
        std::chrono::milliseconds retryInterval{500};
        std::chrono::milliseconds maxAge{std::chrono::hours(24 * 7)};
        std::chrono::milliseconds duplicateWindow{std::chrono::minutes(10)};
        // Start from the last row this instance has in the stream (true), or resend from the
        // source's beginning and let de-duplication drop what is there (false).
        bool resumeFromStream = true;
    };

    struct Status {
        std::uint64_t lastAcknowledged = 0;
        std::uint64_t forwarded = 0;   // rows the stream stored
        std::uint64_t duplicates = 0;  // rows the stream already had
        std::uint64_t dropped = 0;     // appends refused by the full queue (repaired later)
        std::uint64_t repaired = 0;    // rows read again from the source
        QString lastError;
    };

    AuditForwarder(std::shared_ptr<FleetConnection> connection, Source source, Options options);
    ~AuditForwarder();  // stops; rows not yet forwarded stay in SQLite for the next start
    AuditForwarder(const AuditForwarder&) = delete;
    AuditForwarder& operator=(const AuditForwarder&) = delete;

    void start();
    // Any thread, never blocks. False when the queue is full: the row is repaired from the source.
    bool append(AuditRow row);
    Status status() const;

private:
    void run();
    bool initialise();
    bool forward(const AuditRow& row);
    bool repair();
    bool waitForWork();
    void pause();

    std::shared_ptr<FleetConnection> connection_;
    Source source_;
    Options options_;
    std::uint64_t listener_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<AuditRow> queue_;
    bool stopping_ = false;
    bool gap_ = false;        // a row was dropped: read from the source before the queue
    bool reposition_ = true;  // (re)learn the position from the stream (start, reconnect)
    bool positioned_ = false;
    // The source had nothing more after this sequence: rows queued beyond it go out as they are.
    std::uint64_t sourceExhaustedAt_ = UINT64_MAX;
    Status status_;
    std::thread thread_;
};

}  // namespace tai::fleet
