#pragma once

// Internal to the deployment orchestrator's translation units: the mutable state behind the
// RolloutView values it hands out.

#include "deployments/deployment_orchestrator.h"

#include <deque>

namespace tai {

inline constexpr std::size_t kRolloutHealthPoints = 90;

struct DeploymentOrchestrator::RegionState {
    QString region;
    QString stage = QStringLiteral("pending");
    int stageIndex = -1;
    int weight = 0;
    bool baking = false;
    TimePoint stageStartedAt;
    Duration planned{0};
    std::deque<HealthPoint> health;
    int failedSamples = 0;
    bool marginalAlerted = false;
    QString previousVersion;
    QString note;
};

struct DeploymentOrchestrator::Rollout {
    DeploymentSignal signal;
    RolloutStatus status = RolloutStatus::InProgress;
    TimePoint createdAt;
    std::vector<RegionState> regions;
    KanbanQueue<int> queue{64, 1};  // regions in order; WIP 1: never two at once
    int active = -1;
    bool actionsRunning = false;
    std::uint64_t samples = 0;
    std::optional<TimePoint> detectedAt;
    double mttrS = -1;
    TimerId stageTimer = 0;
    TimerId healthTimer = 0;
    TimerId slowTimer = 0;
    TimerId actionTimer = 0;
    std::uint64_t epoch = 0;  // bumped on halt/retry so stale action callbacks do nothing
};

}  // namespace tai
