#pragma once

#include "fleet/fleet_error.h"

#include <QString>
#include <QStringList>

#include <chrono>

namespace tai::fleet {

// How one process joins a fleet. Defaults follow FLEET.md §14.4: a ping every 2 s with 2
// outstanding (the library default notices a silent partition only after minutes) and reconnects
// without limit (the default gives up after 60 and closes for good).
struct FleetConfig {
    QStringList urls;   // nats://HOST:PORT (or tls://), tried in order
    QString credsFile;  // optional NATS .creds file (user JWT and seed)
    QString fleetName = QStringLiteral("default");
    QString instanceId;                              // this process; empty for a console that only watches
    std::chrono::milliseconds requestTimeout{2000};  // bound on every JetStream and KV round trip
    std::chrono::milliseconds connectTimeout{2000};
    std::chrono::milliseconds pingInterval{2000};
    int maxPingsOut = 2;
    std::chrono::milliseconds reconnectWait{1000};

    // The first problem found, naming the field; ok() when the config can be used.
    FleetError validate() const;
};

}  // namespace tai::fleet
