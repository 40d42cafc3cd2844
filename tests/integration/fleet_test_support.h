#pragma once

#include "nats_test_server.h"

#include "fleet/fleet_config.h"
#include "fleet/fleet_connection.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <memory>
#include <type_traits>
#include <vector>

// QCOMPARE prints enums it cannot name as numbers (found by argument-dependent lookup).
namespace tai::fleet {
template <class Enum>
requires std::is_enum_v<Enum>
char* toString(const Enum& value) {
    return qstrdup(QByteArray::number(static_cast<int>(value)).constData());
}
}  // namespace tai::fleet

namespace fleet_test {

using namespace std::chrono_literals;

// Short timings: a dead server is noticed in a second, a request gives up after one.
inline tai::fleet::FleetConfig config(const NatsTestServer& server, const QString& fleet,
                                      const QString& instance) {
    tai::fleet::FleetConfig c;
    c.urls = {server.url()};
    c.fleetName = fleet;
    c.instanceId = instance;
    c.requestTimeout = 1000ms;
    c.connectTimeout = 1000ms;
    c.pingInterval = 500ms;
    c.maxPingsOut = 2;
    c.reconnectWait = 100ms;
    return c;
}

inline std::shared_ptr<tai::fleet::FleetConnection> open(const tai::fleet::FleetConfig& c) {
    auto opened = tai::fleet::FleetConnection::open(c);
    if (!opened.ok()) {
        qWarning("fleet connection failed: %s", qUtf8Printable(opened.error().message));
        return nullptr;
    }
    return opened.value();
}

inline bool waitConnected(const tai::fleet::FleetConnection& connection, int timeoutMs = 10000) {
    return QTest::qWaitFor([&] { return connection.isConnected(); }, timeoutMs);
}

// p50 / p99 of round trips in microseconds, for the printed measurements (not assertions).
struct Percentiles {
    double p50 = 0, p99 = 0;
    std::size_t count = 0;
};
inline Percentiles percentiles(std::vector<double> micros) {
    Percentiles p;
    p.count = micros.size();
    if (micros.empty()) {
        return p;
    }
    std::sort(micros.begin(), micros.end());
    const auto at = [&micros](double q) {
        const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(micros.size())));
        return micros[std::min(micros.size() - 1, rank == 0 ? 0 : rank - 1)];
    };
    p.p50 = at(0.50);
    p.p99 = at(0.99);
    return p;
}

}  // namespace fleet_test
