#pragma once

#include "fleet/fleet_error.h"
#include "fleet/fleet_message.h"

#include <functional>
#include <memory>

namespace tai::fleet {

namespace nats {
struct NativeConnection;
}

// An asynchronous NATS subscription. libnats calls the sink on its own delivery thread; the sink
// copies (the message already is a value) and hands over, and must not block or destroy this
// subscription. The destructor unsubscribes and returns only after the sink has run for the last
// time, so whatever the sink captures may be freed right after.
class FleetSubscription {
public:
    using Sink = std::function<void(FleetMessage)>;

    static FleetResult<std::unique_ptr<FleetSubscription>> open(
        std::shared_ptr<nats::NativeConnection> native, const QString& subject, const QString& queueGroup,
        Sink sink);
    ~FleetSubscription();
    FleetSubscription(const FleetSubscription&) = delete;
    FleetSubscription& operator=(const FleetSubscription&) = delete;

    const QString& subject() const { return subject_; }

    struct State;  // shared with libnats' callbacks (fleet_subscription.cpp)

private:
    FleetSubscription(std::shared_ptr<nats::NativeConnection> native, QString subject,
                      std::unique_ptr<State> state);

    std::shared_ptr<nats::NativeConnection> native_;
    QString subject_;
    std::unique_ptr<State> state_;
};

}  // namespace tai::fleet
