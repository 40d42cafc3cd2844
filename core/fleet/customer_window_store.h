#pragma once

#include "fleet/fleet_error.h"
#include "fleet/kv_bucket_spec.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace tai::fleet {

class FleetConnection;

// A customer's window as stored, with the revision to update it at (0: the customer has none).
struct WindowRead {
    std::optional<QByteArray> value;
    std::uint64_t revision = 0;
};

struct WindowUpdateResult {
    enum class Kind {
        Stored,       // the evaluator's value is stored at `revision`
        Unchanged,    // the evaluator asked to store nothing
        GaveUp,       // lost the race `attempts` times: answer circuit_open on breaker fleet-store
        Unavailable,  // the store cannot be reached: circuit_open too
    };
    Kind kind = Kind::Unavailable;
    std::uint64_t revision = 0;
    int attempts = 0;  // evaluations made
    FleetError error;
};

// Sees the customer's current window (nullopt when there is none) and returns the value to store,
// or nullopt to store nothing. It may run several times (once per lost race), each time on the
// fresh value, so it must decide from its argument only.
using WindowEvaluator = std::function<std::optional<QByteArray>(const std::optional<QByteArray>& current)>;

// Per-customer fraud windows shared by the fleet: KV bucket tai_<fleet>_cust, key
// c.<base64url(customer)>, TTL at least the longest window. The values are the caller's bytes.
// Thread-safe and blocking (two round trips per attempt): run it off the GUI thread.
class CustomerWindowStore {
public:
    struct Options {
        std::chrono::milliseconds ttl = std::chrono::hours(2);  // ≥ the longest window (currency: 1 h)
        int attempts = 4;
        int maxValueBytes = 16 * 1024;
    };

    explicit CustomerWindowStore(std::shared_ptr<FleetConnection> connection);
    CustomerWindowStore(std::shared_ptr<FleetConnection> connection, Options options);

    FleetResult<WindowRead> read(const QString& customer);
    // Stores `value` only if the window is still at `revision` (0: only if there is none). A lost
    // race is a Conflict.
    FleetResult<std::uint64_t> compareAndSet(const QString& customer, const QByteArray& value,
                                             std::uint64_t revision);
    // read → evaluate → compare-and-set, again on a lost race, up to Options::attempts times.
    WindowUpdateResult update(const QString& customer, const WindowEvaluator& evaluate);

    const KvBucketSpec& spec() const { return spec_; }

private:
    FleetError checkCustomer(const QString& customer) const;

    std::shared_ptr<FleetConnection> connection_;
    Options options_;
    KvBucketSpec spec_;
};

}  // namespace tai::fleet
