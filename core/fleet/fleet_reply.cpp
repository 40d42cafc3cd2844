#include "fleet/fleet_reply.h"

#include "fleet/fleet_connection.h"
#include "fleet/fleet_io_thread.h"

namespace tai::fleet {

FleetReply::FleetReply(std::shared_ptr<FleetConnection> connection, std::shared_ptr<FleetIoThread> io,
                       QString replySubject, QByteArray traceparent)
    : state_(std::make_shared<State>()) {
    state_->connection = std::move(connection);
    state_->io = std::move(io);
    state_->subject = std::move(replySubject);
    state_->traceparent = std::move(traceparent);
}

void FleetReply::send(const FleetAnswer& answer) const {
    if (!expectsAnswer() || state_->sent.exchange(true)) {
        return;
    }
    FleetMessage message;
    message.subject = state_->subject;
    message.data = answer.body;
    message.setHeader(header::kInstance, state_->connection->config().instanceId.toUtf8());
    message.setHeader(header::kStatus, QByteArray::number(answer.status));
    if (!answer.reason.isEmpty()) {
        // A header value is one line.
        message.setHeader(header::kReason, answer.reason.simplified().left(200).toUtf8());
    }
    if (!state_->traceparent.isEmpty()) {
        message.setHeader(header::kTraceparent, state_->traceparent);
    }
    const bool posted = state_->io->post([connection = state_->connection, message] {
        if (FleetError error = connection->publish(message); !error.ok()) {
            qWarning("fleet: answer to %s not sent: %s", qUtf8Printable(message.subject),
                     qUtf8Printable(error.message));
        }
    });
    if (!posted) {
        qWarning("fleet: answer to %s dropped: the fleet I/O queue is full", qUtf8Printable(message.subject));
    }
}

}  // namespace tai::fleet
