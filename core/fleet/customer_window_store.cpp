#include "fleet/customer_window_store.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_names.h"
#include "fleet/kv_bucket.h"

namespace tai::fleet {

namespace {
using Kind = FleetError::Kind;
constexpr int kMaxCustomerBytes = 512;  // keeps c.<base64url> well inside a subject
}  // namespace

CustomerWindowStore::CustomerWindowStore(std::shared_ptr<FleetConnection> connection)
    : CustomerWindowStore(std::move(connection), Options{}) {}

CustomerWindowStore::CustomerWindowStore(std::shared_ptr<FleetConnection> connection, Options options)
    : connection_(std::move(connection)), options_(options) {
    spec_.name = connection_->names().customerBucket();
    spec_.ttl = options_.ttl;
    spec_.maxValueBytes = options_.maxValueBytes;
}

FleetError CustomerWindowStore::checkCustomer(const QString& customer) const {
    if (customer.isEmpty() || customer.toUtf8().size() > kMaxCustomerBytes) {
        return FleetError::make(Kind::InvalidArgument, u"customer window: the customer id must be 1-" +
                                                           QString::number(kMaxCustomerBytes) + u" bytes");
    }
    return {};
}

FleetResult<WindowRead> CustomerWindowStore::read(const QString& customer) {
    if (FleetError bad = checkCustomer(customer); !bad.ok()) {
        return bad;
    }
    auto bucket = connection_->bucket(spec_);
    if (!bucket.ok()) {
        return bucket.error();
    }
    auto got = bucket.value()->get(FleetNames::customerKey(customer));
    if (!got.ok()) {
        return got.error();
    }
    WindowRead out;
    if (got.value()) {
        // A delete marker still has a revision: the next write must be at it.
        out.revision = got.value()->revision;
        if (got.value()->isLive()) {
            out.value = got.value()->value;
        }
    }
    return out;
}

FleetResult<std::uint64_t> CustomerWindowStore::compareAndSet(const QString& customer,
                                                              const QByteArray& value,
                                                              std::uint64_t revision) {
    if (FleetError bad = checkCustomer(customer); !bad.ok()) {
        return bad;
    }
    auto bucket = connection_->bucket(spec_);
    if (!bucket.ok()) {
        return bucket.error();
    }
    const QString key = FleetNames::customerKey(customer);
    return revision == 0 ? bucket.value()->create(key, value) : bucket.value()->update(key, value, revision);
}

WindowUpdateResult CustomerWindowStore::update(const QString& customer, const WindowEvaluator& evaluate) {
    WindowUpdateResult result;
    for (result.attempts = 1; result.attempts <= std::max(1, options_.attempts); ++result.attempts) {
        auto current = read(customer);
        if (!current.ok()) {
            result.kind = WindowUpdateResult::Kind::Unavailable;
            result.error = current.error();
            return result;
        }
        const std::optional<QByteArray> next = evaluate(current.value().value);
        if (!next) {
            result.kind = WindowUpdateResult::Kind::Unchanged;
            result.revision = current.value().revision;
            return result;
        }
        auto stored = compareAndSet(customer, *next, current.value().revision);
        if (stored.ok()) {
            result.kind = WindowUpdateResult::Kind::Stored;
            result.revision = stored.value();
            return result;
        }
        if (stored.error().kind == Kind::Uncertain) {
            // The write may have landed. If the window now holds exactly our bytes, it did; otherwise
            // evaluate again (at worst this payment is counted twice, which errs on the safe side).
            auto after = read(customer);
            if (after.ok() && after.value().value == *next &&
                after.value().revision > current.value().revision) {
                result.kind = WindowUpdateResult::Kind::Stored;
                result.revision = after.value().revision;
                return result;
            }
            if (!after.ok()) {
                result.kind = WindowUpdateResult::Kind::Unavailable;
                result.error = stored.error();
                return result;
            }
            continue;
        }
        if (stored.error().kind != Kind::Conflict) {
            result.kind = WindowUpdateResult::Kind::Unavailable;
            result.error = stored.error();
            return result;
        }
    }
    result.attempts = std::max(1, options_.attempts);
    result.kind = WindowUpdateResult::Kind::GaveUp;
    result.error = FleetError::make(
        Kind::Conflict, u"customer window: lost the race " + QString::number(result.attempts) + u" times");
    return result;
}

}  // namespace tai::fleet
