#include "deployments/deployment_orchestrator.h"

#include "deployments/rollout_run.h"

namespace tai {

std::unique_ptr<RolloutRun> RolloutRun::restored(RolloutContext& context, const RolloutView& v) {
    auto run = std::unique_ptr<RolloutRun>(new RolloutRun(context));
    Rollout* rollout = &run->state_;
    InfraDriver& infra_ = context.infra;
    rollout->signal.id = v.id;
    rollout->signal.service = v.service;
    rollout->signal.version = v.version;
    rollout->signal.requestedBy = v.requestedBy;
    rollout->status = RolloutStatus::Interrupted;
    rollout->createdAt = v.createdAt;
    rollout->mttrS = v.mttrS;
    for (int i = 0; i < static_cast<int>(v.regions.size()); ++i) {
        const RegionView& saved = v.regions.at(static_cast<std::size_t>(i));
        rollout->signal.regions << saved.region;
        RegionState region;
        region.region = saved.region;
        region.stage = saved.stage;
        region.stageIndex = saved.stageIndex;
        region.weight = saved.weight;
        // The simulator restarts fresh: what the region ran before this rollout is its stable
        // version now, and a region the rollout completed is put back on the new version.
        region.previousVersion = infra_.stableVersion(v.service, saved.region).value_or(QString());
        if (saved.stage == u"done") {
            infra_.setStable(v.service, saved.region, v.version);
        }
        region.note = QStringLiteral("interrupted by a restart: resume or roll back");
        rollout->regions.push_back(region);
        if (saved.stageIndex >= 0) {
            rollout->active = i;
        }
    }
    if (rollout->active >= 0) {
        int active = rollout->active;
        rollout->queue.tryPush(std::move(active));
        rollout->queue.tryPull();  // in progress: WIP 1 stays taken
    }
    for (int i = 0; i < static_cast<int>(rollout->regions.size()); ++i) {
        if (rollout->regions.at(static_cast<std::size_t>(i)).stage == u"pending") {
            int index = i;
            rollout->queue.tryPush(std::move(index));
        }
    }
    return run;
}

RolloutView RolloutRun::view() const {
    const Rollout& r = state_;
    RolloutView v;
    v.id = r.signal.id;
    v.service = r.signal.service;
    v.version = r.signal.version;
    v.requestedBy = r.signal.requestedBy;
    v.status = r.status;
    v.createdAt = r.createdAt;
    v.activeRegion = r.active;
    v.mttrS = r.mttrS;
    for (const RolloutStageConfig& s : config_.stages) {
        v.stageNames << s.name;
        v.stageWeights << s.weightPercent;
    }
    v.maxErrorRate = config_.maxErrorRate;
    v.maxP99Ms = config_.maxP99Ms;
    v.marginalErrorRate = config_.marginalErrorRate;
    v.marginalP99Ms = config_.marginalP99Ms;
    for (const RegionState& s : r.regions) {
        RegionView region;
        region.region = s.region;
        region.stage = s.stage;
        region.stageIndex = s.stageIndex;
        region.weight = s.weight;
        region.baking = s.baking;
        region.note = s.note;
        if (s.stageIndex >= 0) {
            region.elapsedS = toSeconds(clock_.now() - s.stageStartedAt);
            region.plannedS = toSeconds(s.planned) + (s.baking ? config_.bakeTimeS : 0);
        }
        region.health.assign(s.health.begin(), s.health.end());
        v.regions.push_back(std::move(region));
    }
    return v;
}

}  // namespace tai
