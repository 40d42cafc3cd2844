#pragma once

// Internal to tai::fleet: the libnats side of a FleetConnection, shared with the buckets and
// subscriptions made from it so that none of them outlives the handles it uses.
#include "fleet/fleet_message.h"
#include "fleet/nats_handles.h"

namespace tai::fleet::nats {

struct NativeConnection {
    // Members are destroyed in reverse: the JetStream context goes before the connection.
    ConnectionPtr connection;
    JetStreamPtr jetStream;
    std::int64_t requestTimeoutMs = 2000;

    bool connected() const { return natsConnection_Status(connection.get()) == NATS_CONN_STATUS_CONNECTED; }
};

// Copies a libnats message into a value (the message stays owned by the caller).
FleetMessage copyMessage(natsMsg* message);
// Builds a libnats message from a value; null with `status` set when libnats refuses it.
MessagePtr makeMessage(const FleetMessage& message, natsStatus* status);

}  // namespace tai::fleet::nats
