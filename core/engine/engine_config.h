#pragma once

#include "engine/policy_document.h"
#include "payments/load_generator.h"

#include <QUrl>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace tai {

class EngineObserver;

struct EngineConfig {
    PolicyDocument policy;
    std::uint64_t seed = 1;
    LoadProfile load;  // generated traffic; 0 payments/s means none
    std::chrono::milliseconds snapshotInterval{100};
    int confirmationWorkers = 2;
    bool deterministicIds = false;  // replay/scenarios: ids and trace ids from the seed
    // The durable audit trail: none (tests, benchmarks), "" for in-memory (--ephemeral), or a
    // database file. With one, every payment response waits for its commit.
    std::optional<QString> auditDatabase;
    int retentionDays = 30;
    // How long stop() keeps retrying audit commits that fail before it gives up on them, so a
    // shutdown on a full disk ends in seconds (issue 14).
    std::chrono::milliseconds auditShutdownGrace{2000};
    // Test hook: an SQLite result code for the next commit instead of committing (0: commit).
    std::function<int()> auditFault{};
    // The console sets this: engine threads yield the CPU to the GUI thread when both want it.
    bool backgroundPriority = false;
    // A real payment gateway instead of the simulator (§10.3); empty: the policy's gateway_url,
    // else the simulator.
    QString gatewayUrl;
    // Outbound Andon notifiers (§10.3); empty URLs mean none.
    QUrl alertWebhook;
    QUrl alertmanager;
    // Tracing (§12): the head sampler ("always", "never", "probabilistic:P", "rate:N"; rejections
    // and failures are kept regardless), the store's size, and OTLP/JSON export.
    QString traceSampler = QStringLiteral("rate:50");
    std::size_t traceCapacity = 10'000;
    QString otlpFile;
    QUrl otlpEndpoint;
    // Scenario runs watch the engine through this (called on the engine thread).
    std::shared_ptr<EngineObserver> observer;
};

}  // namespace tai
