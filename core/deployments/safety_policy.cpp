#include "deployments/safety_policy.h"

#include <functional>

namespace tai {

namespace {
class Check final : public PolicyRule<DeploymentSubject> {
public:
    Check(QString name, QString reason, std::function<bool(const DeploymentSubject&)> fails)
        : name_(std::move(name)), reason_(std::move(reason)), fails_(std::move(fails)) {
        weight = 1;
    }
    QString name() const override { return name_; }
    QString reason() const override { return reason_; }
    bool fires(const DeploymentSubject& s) const override { return fails_(s); }

private:
    QString name_;
    QString reason_;
    std::function<bool(const DeploymentSubject&)> fails_;
};

template <typename F>
std::unique_ptr<PolicyRule<DeploymentSubject>> check(const char* name, const char* reason, F fails) {
    return std::make_unique<Check>(QString::fromLatin1(name), QString::fromLatin1(reason), fails);
}
}  // namespace

QString safetyFieldOf(const QString& reason) {
    if (reason == u"image_missing") {
        return QStringLiteral("version");
    }
    if (reason == u"no_rollback_plan") {
        return QStringLiteral("initial");
    }
    if (reason == u"rollout_in_progress") {
        return QStringLiteral("service");
    }
    return QStringLiteral("regions");  // insufficient_capacity, unhealthy_baseline
}

SafetyPolicy::SafetyPolicy() {
    policy_.setRejectScore(1);
    policy_.addRule(check("image", "image_missing", [](const DeploymentSubject& s) {
        return !s.infra->imageExists(s.signal->service, s.signal->version);
    }));
    policy_.addRule(check("capacity", "insufficient_capacity", [](const DeploymentSubject& s) {
        return std::any_of(s.regions.cbegin(), s.regions.cend(), [&s](const QString& r) {
            return !s.infra->hasCapacity(s.signal->service, r, s.now);
        });
    }));
    policy_.addRule(check("rollback_plan", "no_rollback_plan", [](const DeploymentSubject& s) {
        if (s.signal->initial) {
            return false;
        }
        return std::any_of(s.regions.cbegin(), s.regions.cend(),
                           [&s](const QString& r) { return !s.infra->stableVersion(s.signal->service, r); });
    }));
    policy_.addRule(check("baseline", "unhealthy_baseline", [](const DeploymentSubject& s) {
        return std::any_of(s.regions.cbegin(), s.regions.cend(), [&s](const QString& r) {
            if (!s.infra->stableVersion(s.signal->service, r)) {
                return false;  // nothing running to judge
            }
            const HealthSample h = s.infra->stableHealth(s.signal->service, r, s.now);
            return h.errorRate > s.config->maxErrorRate || h.p99Ms > s.config->maxP99Ms;
        });
    }));
    policy_.addRule(check("exclusive", "rollout_in_progress",
                          [](const DeploymentSubject& s) { return s.rolloutInProgress; }));
}

}  // namespace tai
