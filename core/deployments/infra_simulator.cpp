#include "deployments/infra_simulator.h"

#include "base/seeded_random.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace tai {

using namespace std::chrono_literals;

QString toString(DeploymentAction action) {
    switch (action) {
        case DeploymentAction::ApplyConfig:
            return QStringLiteral("apply_config");
        case DeploymentAction::RollPods:
            return QStringLiteral("roll_pods");
        case DeploymentAction::ShiftTraffic:
            return QStringLiteral("shift_traffic");
    }
    return {};
}

namespace {
QString key(const QString& service, const QString& region) {
    return service + QLatin1Char('@') + region;
}
constexpr double kBaselineErrorRate = 0.002;
constexpr double kBaselineP99Ms = 180;
}  // namespace

InfraSimulator::InfraSimulator(std::uint64_t seed, QStringList regions, Clock& clock)
    : seed_(seed),
      clock_(clock),
      regions_(std::move(regions)),
      services_{QStringLiteral("api-service"), QStringLiteral("payments-service"),
                QStringLiteral("web-frontend")} {
    for (const QString& service : std::as_const(services_)) {
        for (const QString& region : std::as_const(regions_)) {
            stable_.insert(key(service, region), QStringLiteral("v1.0.0"));
        }
    }
}

bool InfraSimulator::imageExists(const QString& service, const QString& version) const {
    static const QRegularExpression semver(QStringLiteral("^v[0-9]+\\.[0-9]+\\.[0-9]+$"));
    return services_.contains(service) && semver.match(version).hasMatch();
}

const InfraFault* InfraSimulator::faultFor(const QString& region, const QString& version, TimePoint now,
                                           bool (*has)(const InfraFault&)) const {
    // The newest matching fault wins.
    for (auto it = faults_.rbegin(); it != faults_.rend(); ++it) {
        if (it->region == region && (it->version.isEmpty() || it->version == version) && has(*it) &&
            (!it->until || now < *it->until)) {
            return &*it;
        }
    }
    return nullptr;
}

bool InfraSimulator::hasCapacity(const QString&, const QString& region, TimePoint now) const {
    const InfraFault* f =
        faultFor(region, QString(), now, [](const InfraFault& x) { return x.capacity.has_value(); });
    return f == nullptr || *f->capacity > 0;
}

std::optional<QString> InfraSimulator::stableVersion(const QString& service, const QString& region) const {
    const auto found = stable_.constFind(key(service, region));
    return found == stable_.constEnd() ? std::nullopt : std::optional(*found);
}

void InfraSimulator::setStable(const QString& service, const QString& region, const QString& version) {
    stable_.insert(key(service, region), version);
}

HealthSample InfraSimulator::stableHealth(const QString& service, const QString& region,
                                          TimePoint now) const {
    const QString version = stableVersion(service, region).value_or(QString());
    HealthSample h{kBaselineErrorRate, kBaselineP99Ms, {}};
    // Only a fault aimed at the stable version itself makes the baseline unhealthy.
    for (auto it = faults_.rbegin(); it != faults_.rend(); ++it) {
        if (it->region == region && it->version == version && (!it->until || now < *it->until)) {
            h.errorRate = it->errorRate.value_or(h.errorRate);
            h.p99Ms = it->p99Ms.value_or(static_cast<int>(h.p99Ms));
            break;
        }
    }
    return h;
}

std::uint64_t InfraSimulator::health(const QString& service, const QString& version, const QString& region,
                                     int weight, std::uint64_t sample, TimePoint now, HealthDone done) {
    done(measure(service, version, region, weight, sample, now));
    return 0;
}

HealthSample InfraSimulator::measure(const QString& service, const QString& version, const QString& region,
                                     int weight, std::uint64_t sample, TimePoint now) const {
    HealthSample h{kBaselineErrorRate, kBaselineP99Ms, {}};
    if (const auto* f =
            faultFor(region, version, now, [](const InfraFault& x) { return x.errorRate.has_value(); })) {
        h.errorRate = *f->errorRate;
    }
    if (const auto* f =
            faultFor(region, version, now, [](const InfraFault& x) { return x.p99Ms.has_value(); })) {
        h.p99Ms = *f->p99Ms;
    }
    // Sampling noise shrinks as the version takes more traffic: ±0.3 % error and ±15 ms at 5 %.
    SeededRandom random(seed_, QString(service + QLatin1Char('/') + version + QLatin1Char('/') + region),
                        sample);
    const double spread = std::sqrt(5.0 / std::max(1, weight));
    h.errorRate = std::clamp(h.errorRate + (random.uniform() * 2 - 1) * 0.003 * spread, 0.0, 1.0);
    h.p99Ms = std::max(1.0, h.p99Ms + (random.uniform() * 2 - 1) * 15.0 * spread);
    return h;
}

ActionResult InfraSimulator::run(DeploymentAction action, const QString& deployment, const QString& region,
                                 int step, TimePoint now) const {
    // Actions complete at once in simulated time (as in the §9.5 example: the canary starts the
    // second the deploy arrives); what they can do is fail.
    ActionResult result{true, Duration{0}, {}};
    const auto* f =
        faultFor(region, QString(), now, [](const InfraFault& x) { return x.actionFailureRate.has_value(); });
    if (f != nullptr) {
        SeededRandom random(
            seed_, QString(deployment + QLatin1Char('/') + region + QLatin1Char('/') + toString(action)),
            static_cast<std::uint64_t>(step));
        if (random.uniform() < *f->actionFailureRate) {
            result.ok = false;
            result.error = toString(action) + QStringLiteral(" failed in ") + region;
        }
    }
    return result;
}

void InfraSimulator::addFault(const InfraFault& fault) {
    faults_.push_back(fault);
}

void InfraSimulator::clearFaults(const QString& region) {
    std::erase_if(faults_, [&region](const InfraFault& f) { return region.isEmpty() || f.region == region; });
}

std::vector<InfraFault> InfraSimulator::activeFaults(TimePoint now) const {
    std::vector<InfraFault> out;
    for (const InfraFault& f : faults_) {
        if (!f.until || now < *f.until) {
            out.push_back(f);
        }
    }
    return out;
}

}  // namespace tai

namespace tai {

InfraSimulator::~InfraSimulator() {
    for (const auto& [handle, timer] : actions_) {
        clock_.cancel(timer);
    }
}

std::uint64_t InfraSimulator::runAction(DeploymentAction action, const QString& deployment,
                                        const QString& region, int step, ActionDone done) {
    const ActionResult result = run(action, deployment, region, step, clock_.now());
    const std::uint64_t handle = nextAction_++;
    actions_[handle] = clock_.scheduleAfter(result.takes, [this, handle, result, done = std::move(done)] {
        actions_.erase(handle);
        done(result);
    });
    return handle;
}

void InfraSimulator::cancelAction(std::uint64_t handle) {
    if (const auto it = actions_.find(handle); it != actions_.end()) {
        clock_.cancel(it->second);
        actions_.erase(it);
    }
}

}  // namespace tai
