#include "fleet/fleet_view_builder.h"

#include <algorithm>

namespace tai::fleet {

namespace {

int severityRank(const QString& severity) {
    if (severity == u"critical") {
        return 3;
    }
    if (severity == u"high") {
        return 2;
    }
    return severity == u"low" ? 1 : 0;
}

int alertStateRank(const QString& state) {
    if (state == u"firing") {
        return 3;
    }
    return state == u"pending" ? 2 : 1;
}

}  // namespace

FleetViewBuilder::FleetViewBuilder() : FleetViewBuilder(Options{}) {}

FleetViewBuilder::FleetViewBuilder(Options options) : options_(options) {}

bool FleetViewBuilder::reporting(const Track& track, std::int64_t nowMs) const {
    return nowMs - track.lastSeenMs < options_.silentIntervals * options_.interval.count();
}

std::map<QString, std::uint64_t> FleetViewBuilder::totals(const Track& track) const {
    std::map<QString, std::uint64_t> out = track.carried;
    for (const auto& [name, value] : track.raw) {
        out[name] += value;
    }
    return out;
}

bool FleetViewBuilder::add(const FleetSnapshot& snapshot, std::int64_t receivedAtMs) {
    auto it = tracks_.find(snapshot.instance);
    if (it == tracks_.end()) {
        if (tracks_.size() >= options_.maxInstances) {
            return false;
        }
        it = tracks_.emplace(snapshot.instance, Track{}).first;
        Track& fresh = it->second;
        fresh.last = snapshot;
        fresh.lastSeenMs = receivedAtMs;
        fresh.raw = snapshot.counters;
    } else {
        Track& track = it->second;
        const bool restarted = snapshot.countersSinceMs != track.last.countersSinceMs;
        if (!restarted && snapshot.sequence <= track.last.sequence) {
            return false;  // repeated, or overtaken by a newer one
        }
        // A counter that restarts from zero starts a new base: what it had reached is carried, so
        // the fleet's total never goes backwards. A restart shows as a new start time, or as a
        // counter smaller than before.
        for (const auto& [name, before] : track.raw) {
            const auto now = snapshot.counters.find(name);
            if (restarted || now == snapshot.counters.end() || now->second < before) {
                track.carried[name] += before;
            }
        }
        track.raw = snapshot.counters;
        track.last = snapshot;
        track.lastSeenMs = receivedAtMs;
    }
    Track& track = it->second;
    track.samples.push_back({receivedAtMs, totals(track)});
    // Keep one sample at or before the window's start as the rate's baseline.
    const std::int64_t windowStart = receivedAtMs - options_.window.count();
    while (track.samples.size() > 2 && track.samples[1].atMs <= windowStart) {
        track.samples.pop_front();
    }
    if (!snapshot.latency.empty()) {
        track.latency.emplace_back(receivedAtMs, snapshot.latency);
    }
    while (!track.latency.empty() && track.latency.front().first <= windowStart) {
        track.latency.pop_front();
    }
    return true;
}

FleetView FleetViewBuilder::build(std::int64_t nowMs) const {
    FleetView view;
    view.atMs = nowMs;
    std::map<QString, FleetView::Breaker> breakers;
    std::map<std::pair<QString, QString>, FleetView::Alert> alerts;
    const std::int64_t windowStart = nowMs - options_.window.count();

    for (const auto& [instance, track] : tracks_) {
        const bool live = reporting(track, nowMs);
        view.instances.push_back({instance, live, track.lastSeenMs, track.last});
        for (const auto& b : track.last.breakers) {
            FleetView::Breaker& merged = breakers[b.name];
            merged.name = b.name;
            ++merged.total;
            if (!live) {
                ++merged.notReporting;
                continue;
            }
            ++merged.byState[b.state];
            merged.forced += b.forced ? 1 : 0;
        }
        if (!live) {
            continue;  // greyed in the table, left out of every sum below
        }
        ++view.reporting;
        for (const auto& [name, value] : totals(track)) {
            view.counters[name] += value;
        }
        if (track.samples.size() >= 2) {
            const Sample& base = track.samples.front();
            const Sample& latest = track.samples.back();
            const double spanSeconds = static_cast<double>(latest.atMs - base.atMs) / 1000.0;
            for (const auto& [name, value] : latest.totals) {
                const auto before = base.totals.find(name);
                const std::uint64_t increase = value - (before == base.totals.end() ? 0 : before->second);
                view.windowCounts[name] += increase;
                if (spanSeconds > 0) {
                    view.ratesPerSecond[name] += static_cast<double>(increase) / spanSeconds;
                }
            }
        }
        for (const auto& [atMs, histogram] : track.latency) {
            if (atMs > windowStart) {
                view.latency.merge(histogram);
            }
        }
        if (view.latencyUnit.isEmpty()) {
            view.latencyUnit = track.last.latencyUnit;
        }
        for (const auto& a : track.last.alerts) {
            FleetView::Alert& merged = alerts[{a.rule, a.subject}];
            merged.rule = a.rule;
            merged.subject = a.subject;
            if (severityRank(a.severity) > severityRank(merged.severity)) {
                merged.severity = a.severity;
            }
            if (alertStateRank(a.state) > alertStateRank(merged.state)) {
                merged.state = a.state;
            }
            merged.instances << instance;
        }
        if (track.last.leader) {
            view.leaders << instance;
        }
        ++view.policyVersions[track.last.policyVersion];
    }
    for (auto& [name, breaker] : breakers) {
        view.breakers.push_back(std::move(breaker));
    }
    for (auto& [key, alert] : alerts) {
        view.alerts.push_back(std::move(alert));
    }
    view.latencyP50 = view.latency.percentile(0.50);
    view.latencyP99 = view.latency.percentile(0.99);
    return view;
}

}  // namespace tai::fleet
