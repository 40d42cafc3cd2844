#include "deployments/health_probe.h"

namespace tai {

namespace {
QString percent(double v) {
    return QString::number(v * 100, 'f', 1) + QLatin1Char('%');
}
}  // namespace

void HealthProbe::ask(const QString& service, const QString& version, const QString& region, int weight,
                      std::uint64_t sample, TimePoint now, InfraDriver::HealthDone done) {
    if (query_ != 0) {
        infra_.cancelHealth(query_);  // one measurement in flight at a time: the newer one counts
        query_ = 0;
    }
    const std::uint64_t token = ++token_;
    asked_ = true;
    const std::uint64_t query =
        infra_.health(service, version, region, weight, sample, now,
                      [this, token, done = std::move(done)](const HealthSample& h) {
                          if (token != token_) {
                              return;  // cancelled or superseded: a newer one may be in flight
                          }
                          asked_ = false;
                          query_ = 0;
                          done(h);
                      });
    if (asked_ && token == token_) {
        query_ = query;  // still in flight (a simulator answers inside the call)
    }
}

void HealthProbe::cancel() {
    if (query_ != 0) {
        infra_.cancelHealth(query_);
        query_ = 0;
    }
    asked_ = false;
    ++token_;  // an answer still on its way (from a driver that ignores cancel) finds nobody
}

HealthVerdict judgeHealth(const DeploymentsConfig& config, const HealthSample& h) {
    HealthVerdict verdict;
    // A measurement that could not be taken is neither a pass nor a fail (Argo's Inconclusive).
    verdict.inconclusive = !h.error.isEmpty();
    const bool failing =
        !verdict.inconclusive && (h.errorRate > config.maxErrorRate || h.p99Ms > config.maxP99Ms);
    const bool marginal =
        verdict.inconclusive || h.errorRate > config.marginalErrorRate || h.p99Ms > config.marginalP99Ms;
    if (failing) {
        verdict.result = MeasurementResult::Fail;
        verdict.reason =
            h.errorRate > config.maxErrorRate
                ? QStringLiteral("error rate %1 > %2").arg(percent(h.errorRate), percent(config.maxErrorRate))
                : QStringLiteral("p99 %1 ms > %2 ms").arg(h.p99Ms, 0, 'f', 0).arg(config.maxP99Ms);
    } else if (marginal) {
        verdict.result = MeasurementResult::Marginal;
        verdict.measured = verdict.inconclusive ? QStringLiteral("health query failed: ") + h.error
                                                : QStringLiteral("error rate %1, p99 %2 ms")
                                                      .arg(percent(h.errorRate))
                                                      .arg(h.p99Ms, 0, 'f', 0);
    }
    return verdict;
}

}  // namespace tai
