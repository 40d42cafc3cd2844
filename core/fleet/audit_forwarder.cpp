#include "fleet/audit_forwarder.h"

#include "fleet/fleet_connection.h"

namespace tai::fleet {

AuditForwarder::AuditForwarder(std::shared_ptr<FleetConnection> connection, Source source, Options options)
    : connection_(std::move(connection)), source_(std::move(source)), options_(options) {}

AuditForwarder::~AuditForwarder() {
    if (listener_ != 0) {
        connection_->removeListener(listener_);
    }
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void AuditForwarder::start() {
    if (thread_.joinable()) {
        return;
    }
    listener_ = connection_->addListener([this](ConnectionEvent event) {
        if (event == ConnectionEvent::Connected || event == ConnectionEvent::Reconnected) {
            // The server may have restarted without its store: learn again what it has of ours.
            std::lock_guard lock(mutex_);
            reposition_ = true;
            wake_.notify_all();
        }
    });
    thread_ = std::thread([this] { run(); });
}

bool AuditForwarder::append(AuditRow row) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= options_.capacity) {
            ++status_.dropped;
            gap_ = true;
            return false;
        }
        queue_.push_back(std::move(row));
    }
    wake_.notify_one();
    return true;
}

AuditForwarder::Status AuditForwarder::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

bool AuditForwarder::waitForWork() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty() || gap_ || reposition_; });
    return !stopping_;
}

void AuditForwarder::pause() {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.retryInterval, [this] { return stopping_; });
}

bool AuditForwarder::initialise() {
    StreamSpec spec;
    spec.name = connection_->names().auditStream();
    spec.subjects = connection_->names().auditSubjects();
    spec.maxAge = options_.maxAge;
    spec.duplicateWindow = options_.duplicateWindow;
    if (FleetError error = connection_->ensureStream(spec); !error.ok()) {
        std::lock_guard lock(mutex_);
        status_.lastError = error.message;
        return false;
    }
    std::uint64_t inStream = 0;
    if (options_.resumeFromStream || positioned_) {
        auto last = connection_->lastStreamMessage(
            spec.name, connection_->names().auditSubject(connection_->config().instanceId));
        if (last.ok()) {
            inStream = last.value().message.header(header::kSequence).toULongLong();
        } else if (last.error().kind != FleetError::Kind::NotFound) {
            std::lock_guard lock(mutex_);
            status_.lastError = last.error().message;
            return false;
        } else if (FleetError error = connection_->ensureStream(spec); !error.ok()) {
            // Nothing of ours in it, or no stream at all (a server that lost its store): make it.
            std::lock_guard lock(mutex_);
            status_.lastError = error.message;
            return false;
        }
    }
    std::lock_guard lock(mutex_);
    if (!positioned_ || inStream > status_.lastAcknowledged) {
        status_.lastAcknowledged = inStream;
    } else if (inStream < status_.lastAcknowledged) {
        // The server lost rows it had acknowledged: send them again from the trail.
        status_.lastAcknowledged = inStream;
        gap_ = true;
    }
    positioned_ = true;
    reposition_ = false;
    sourceExhaustedAt_ = UINT64_MAX;
    return true;
}

bool AuditForwarder::forward(const AuditRow& row) {
    const QString instance = connection_->config().instanceId;
    FleetMessage message;
    message.subject = connection_->names().auditSubject(instance);
    message.data = row.bytes;
    const QByteArray messageId = instance.toUtf8() + ':' + QByteArray::number(row.sequence);
    message.setHeader(header::kMsgId, messageId);
    message.setHeader(header::kSequence, QByteArray::number(row.sequence));
    message.setHeader(header::kInstance, instance.toUtf8());
    JetStreamExpect expect;
    expect.messageId = messageId;
    auto ack = connection_->jetStreamPublish(message, expect);
    std::lock_guard lock(mutex_);
    if (!ack.ok()) {
        status_.lastError = ack.error().message;
        reposition_ = true;  // the stream may be gone, or hold less than we think: look again
        return false;
    }
    ++(ack.value().duplicate ? status_.duplicates : status_.forwarded);
    status_.lastAcknowledged = std::max(status_.lastAcknowledged, row.sequence);
    return true;
}

bool AuditForwarder::repair() {
    std::uint64_t after = 0;
    {
        std::lock_guard lock(mutex_);
        after = status_.lastAcknowledged;
        gap_ = false;
    }
    const std::vector<AuditRow> rows = source_(after, options_.repairBatch);
    for (const AuditRow& row : rows) {
        if (row.sequence <= after) {
            continue;
        }
        if (!forward(row)) {
            std::lock_guard lock(mutex_);
            gap_ = true;  // finish the repair on the next round
            return false;
        }
        after = row.sequence;
        std::lock_guard lock(mutex_);
        ++status_.repaired;
    }
    std::lock_guard lock(mutex_);
    if (static_cast<int>(rows.size()) < options_.repairBatch) {
        sourceExhaustedAt_ = status_.lastAcknowledged;
    } else {
        gap_ = true;  // more to read
    }
    return true;
}

void AuditForwarder::run() {
    while (waitForWork()) {
        if (!connection_->isConnected()) {
            pause();  // nothing would go out; do not spin on errors
            continue;
        }
        bool needsPosition = false;
        {
            std::lock_guard lock(mutex_);
            needsPosition = reposition_;
        }
        if (needsPosition && !initialise()) {
            pause();
            continue;
        }
        std::optional<AuditRow> next;
        bool needsRepair = false;
        {
            std::lock_guard lock(mutex_);
            const std::uint64_t acknowledged = status_.lastAcknowledged;
            while (!queue_.empty() && queue_.front().sequence <= acknowledged) {
                queue_.pop_front();  // already in the stream
            }
            const bool ahead = !queue_.empty() && queue_.front().sequence > acknowledged + 1;
            needsRepair = gap_ || (ahead && sourceExhaustedAt_ != acknowledged);
            if (!needsRepair && !queue_.empty()) {
                next = queue_.front();
            }
        }
        if (needsRepair) {
            if (!repair()) {
                pause();
            }
            continue;
        }
        if (next && !forward(*next)) {
            pause();
        }
    }
    FleetConnection::releaseThreadMemory();
}

}  // namespace tai::fleet
