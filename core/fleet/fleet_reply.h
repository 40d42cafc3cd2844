#pragma once

#include "fleet/fleet_request.h"

#include <atomic>
#include <memory>

namespace tai::fleet {

class FleetConnection;
class FleetIoThread;

// The way back to whoever sent a FleetRequest. Copyable; send() may be called later, from any
// thread, once (further calls are ignored). The answer goes out on the FleetIoThread with this
// instance's id, the request's traceparent, and the status and reason as headers.
class FleetReply {
public:
    FleetReply() = default;
    FleetReply(std::shared_ptr<FleetConnection> connection, std::shared_ptr<FleetIoThread> io,
               QString replySubject, QByteArray traceparent);

    bool expectsAnswer() const { return state_ && !state_->subject.isEmpty(); }
    void send(const FleetAnswer& answer) const;

private:
    struct State {
        std::shared_ptr<FleetConnection> connection;
        std::shared_ptr<FleetIoThread> io;
        QString subject;
        QByteArray traceparent;
        std::atomic<bool> sent{false};
    };
    std::shared_ptr<State> state_;
};

}  // namespace tai::fleet
